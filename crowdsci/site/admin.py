"""Staff edit the site's pages here; saving goes through ``services.site_page_save`` (sanitized, audited)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from crowdsci.catalog.rendering import render_markdown
from crowdsci.core.admin import ServiceSavedAdminMixin, StaffOnlyAdmin
from crowdsci.network.selectors import user_is_network_staff
from crowdsci.site import services
from crowdsci.site.errors import SiteError
from crowdsci.site.models import SitePage


@admin.register(SitePage)
class SitePageAdmin(ServiceSavedAdminMixin, StaffOnlyAdmin):
    is_staff = staticmethod(user_is_network_staff)
    list_display = ["key", "title", "language", "updated"]
    fields = ["key", "title", "summary", "language", "body", "body_preview"]
    readonly_fields = ["body_preview"]

    def get_readonly_fields(self, request: HttpRequest, obj: SitePage | None = None) -> list[str]:
        # A page's key is where it is shown: fixed once the page exists.
        return [*self.readonly_fields, "key"] if obj else list(self.readonly_fields)

    def has_delete_permission(self, request: HttpRequest, obj: SitePage | None = None) -> bool:
        return False  # the page would fall back to its bare program cards; editing it is what staff want

    @admin.display(description=_("Rendered body"))
    def body_preview(self, obj: SitePage) -> str:
        if not obj.pk:
            return _("Save the page to see its rendered body here.")
        return format_html('<div class="guide-body">{}</div>', mark_safe(render_markdown(obj.body)))  # noqa: S308

    def save_model(self, request: HttpRequest, obj: SitePage, form, change: bool) -> None:
        data = form.cleaned_data
        try:
            saved = services.site_page_save(
                actor=request.user,
                key=obj.key,
                title=data["title"],
                summary=data["summary"],
                body=data["body"],
                language=data["language"],
            )
        except SiteError as error:
            self.message_user(request, error.message, messages.ERROR)
            raise
        obj.pk = saved.pk
        obj.refresh_from_db()
