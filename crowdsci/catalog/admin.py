"""Staff and coordinators edit guides here. Saving goes through the services (rendering, sanitizing, scope
checks, audit); which guides a person sees and may change comes from the selectors.

Coordinators edit guides filed under their own regions only (see ``selectors.guides_editable_by``); guides with
no region are network-wide and stay with staff.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from crowdsci.catalog import selectors, services
from crowdsci.catalog.errors import CatalogError
from crowdsci.catalog.models import Category, Guide, GuideFile, GuideLink, Term
from crowdsci.catalog.rendering import render_markdown
from crowdsci.core.admin import ServiceSavedAdminMixin, StaffOnlyAdmin
from crowdsci.network.selectors import user_is_network_staff


class GuideInlinePermissions:
    """Links and files belong to their guide: whoever may edit the guide may edit them (roles, not model
    permissions, decide who edits the catalog)."""

    def _may_edit(self, request: HttpRequest, obj: Guide | None) -> bool:
        if obj is None:
            return selectors.user_can_edit_guides(request.user)
        return selectors.guide_is_editable_by(request.user, obj)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._may_edit(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._may_edit(request, obj)


class GuideFileInline(GuideInlinePermissions, admin.TabularInline):
    model = GuideFile
    extra = 0


class GuideLinkInline(GuideInlinePermissions, admin.TabularInline):
    model = GuideLink
    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class GuideAdminForm(forms.ModelForm):
    editor = None  # set by GuideAdmin.get_form: the person editing, for the region rule and the choices

    # Guide.terms has its own through model (indexed for facet counts), which the admin will not edit directly.
    entries = forms.ModelMultipleChoiceField(
        label=_("Categories and entries"),
        queryset=Term.objects.none(),
        required=False,
        widget=FilteredSelectMultiple(_("entries"), is_stacked=False),
    )

    class Meta:
        model = Guide
        fields = ["title", "slug", "summary", "language", "body", "status", "last_reviewed"]
        widgets = {"body": forms.Textarea(attrs={"rows": 20})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = Term.objects.select_related("category")
        if self.editor is not None and not user_is_network_staff(self.editor):
            # Coordinators may file under any entry but a region, and under their own regions.
            allowed_regions = selectors.region_terms_assignable_by(self.editor)
            choices = choices.filter(region__isnull=True) | choices.filter(pk__in=allowed_regions)
        self.fields["entries"].queryset = choices.order_by("category__position", "position", "name")
        if self.instance.pk:
            self.initial.setdefault("entries", list(self.instance.terms.values_list("pk", flat=True)))

    def clean(self):
        cleaned = super().clean()
        if self.editor is not None and "entries" in cleaned:
            refusal = selectors.guide_terms_refusal(self.editor, list(cleaned["entries"]))
            if refusal:
                self.add_error("entries", refusal)
        return cleaned


@admin.register(Guide)
class GuideAdmin(ServiceSavedAdminMixin, admin.ModelAdmin):
    # The service is the transaction boundary for the guide, its entries and its audit entry; the inline links and
    # files are saved after it commits, each through its own service (a failure there leaves the guide saved).
    form = GuideAdminForm
    list_display = ["title", "status", "last_reviewed", "updated"]
    list_filter = ["status", "terms__category"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["body_preview", "preview_link"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "summary", "language", "status", "last_reviewed"]}),
        (_("Body"), {"fields": ["body", "body_preview", "preview_link"]}),
        (_("Categories and entries"), {"fields": ["entries"]}),
    ]
    inlines = [GuideLinkInline, GuideFileInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.editor = request.user
        return form

    # --- who sees and changes what ---
    def get_queryset(self, request: HttpRequest) -> QuerySet[Guide]:
        return selectors.guides_editable_by(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return selectors.user_can_edit_guides(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Guide | None = None) -> bool:
        return self.has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return selectors.user_can_edit_guides(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Guide | None = None) -> bool:
        if obj is None:
            return selectors.user_can_edit_guides(request.user)
        return selectors.guide_is_editable_by(request.user, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Guide | None = None) -> bool:
        return self.has_change_permission(request, obj)

    # --- preview ---
    @admin.display(description=_("Rendered body"))
    def body_preview(self, obj: Guide) -> str:
        if not obj.pk:
            return _("Save the guide to see its rendered body here.")
        # body_html is sanitized when saved; rendering again shows what the current Markdown gives.
        return format_html('<div class="guide-body">{}</div>', mark_safe(render_markdown(obj.body)))  # noqa: S308

    @admin.display(description=_("Preview"))
    def preview_link(self, obj: Guide) -> str:
        if not obj.pk:
            return "-"
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            reverse("catalog-guide", kwargs={"slug": obj.slug}),
            _("Open the guide's page (drafts are shown only to their editors)"),
        )

    # --- saving through the services ---
    def save_model(self, request: HttpRequest, obj: Guide, form: GuideAdminForm, change: bool) -> None:
        data = form.cleaned_data
        fields = {k: data[k] for k in ["title", "slug", "summary", "language", "body", "status", "last_reviewed"]}
        try:
            if change:
                saved = services.guide_update(actor=request.user, guide=obj, terms=data["entries"], **fields)
            else:
                saved = services.guide_create(actor=request.user, terms=data["entries"], **fields)
        except CatalogError as error:
            # The form has checked the same rules; this only happens if something changed in between.
            self.message_user(request, error.message, messages.ERROR)
            raise
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        # Entries were saved by the service; only the inlines (links, files) are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        """Links and files go through their services (checks and an audit row each), not the formset's save."""
        formset.save(commit=False)  # fills new_objects, changed_objects and deleted_objects; writes nothing
        actor = request.user
        try:
            for obj in formset.deleted_objects:
                if isinstance(obj, GuideLink):
                    services.guide_link_remove(actor=actor, link=obj)
                else:
                    services.guide_file_remove(actor=actor, attached=obj)
            for obj, changed_fields in formset.changed_objects:
                if isinstance(obj, GuideLink):
                    services.guide_link_update(
                        actor=actor, link=obj, title=obj.title, url=obj.url, position=obj.position
                    )
                else:
                    new_file = obj.file.file if "file" in changed_fields else None  # the upload
                    services.guide_file_update(
                        actor=actor, attached=obj, title=obj.title, position=obj.position, file=new_file
                    )
            for obj in formset.new_objects:
                if isinstance(obj, GuideLink):
                    services.guide_link_add(
                        actor=actor, guide=form.instance, title=obj.title, url=obj.url, position=obj.position
                    )
                else:
                    services.guide_file_add(
                        actor=actor, guide=form.instance, title=obj.title, file=obj.file.file, position=obj.position
                    )
        except CatalogError as error:
            # The inline forms checked the same rules; this only happens if something changed in between.
            self.message_user(request, error.message, messages.ERROR)
            raise

    def delete_model(self, request: HttpRequest, obj: Guide) -> None:
        services.guide_delete(actor=request.user, guide=obj)


@admin.register(Category)
class CategoryAdmin(ServiceSavedAdminMixin, StaffOnlyAdmin):
    is_staff = staticmethod(user_is_network_staff)
    list_display = ["name", "slug", "position"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request: HttpRequest, obj: Category, form, change: bool) -> None:
        self._through_service(request, services.category_save, category=obj)

    def delete_model(self, request: HttpRequest, obj: Category) -> None:
        self._through_service(request, services.category_delete, category=obj)

    def _through_service(self, request: HttpRequest, service, **objects) -> None:
        try:
            service(actor=request.user, **objects)
        except CatalogError as error:
            # The form has checked the same rules; this only happens if something changed in between.
            self.message_user(request, error.message, messages.ERROR)
            raise


@admin.register(Term)
class TermAdmin(CategoryAdmin):
    list_display = ["name", "category", "slug", "region", "position"]
    list_filter = ["category"]
    list_select_related = ["category", "region"]

    def save_model(self, request: HttpRequest, obj: Term, form, change: bool) -> None:
        self._through_service(request, services.term_save, term=obj)

    def delete_model(self, request: HttpRequest, obj: Term) -> None:
        self._through_service(request, services.term_delete, term=obj)
