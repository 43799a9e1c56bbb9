"""The network's admin pages, scoped by role through the selectors.

Access here is decided by the person's roles, not by Django's per-model permissions: network staff see and change
everything; a regional coordinator sees and changes only their region's organizations, profiles and organizer roles,
and may grant organizer roles for their region's organizations but no staff or coordinator role. A record out of
scope answers 404, whatever URL is typed. Saves go through the services, so each change writes an audit row.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from crowdsci.core.admin import ReadOnlyAdminMixin, ServiceSavedAdminMixin, StaffOnlyAdmin
from crowdsci.core.models import AuditEntry
from crowdsci.network import selectors, services
from crowdsci.network.errors import NetworkError
from crowdsci.network.models import Affiliation, Jurisdiction, Organization, Profile, Region, RoleAssignment

Role = RoleAssignment.Role
STAFF, COORDINATOR = "staff", "coordinator"


def admin_role(request: HttpRequest) -> str | None:
    """ "staff", "coordinator" or None for the person making the request; looked up once per request."""
    if not hasattr(request, "_network_admin_role"):
        user = request.user
        if selectors.user_is_network_staff(user):
            role = STAFF
        elif selectors.regions_coordinated_by(user).exists():
            role = COORDINATOR
        else:
            role = None
        request._network_admin_role = role
    return request._network_admin_role


class ScopedAdmin(admin.ModelAdmin):
    """Permissions by role; the queryset (from a selector) decides which records exist for this person."""

    roles: tuple[str, ...] = (STAFF, COORDINATOR)

    def _allowed(self, request: HttpRequest) -> bool:
        return admin_role(request) in self.roles

    def _in_scope(self, request: HttpRequest, obj) -> bool:
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request) and self._in_scope(request, obj)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request) and self._in_scope(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return admin_role(request) == STAFF

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None):
        # Django's admin redirects to its index for a missing object; out of scope must be a plain 404 instead.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


class ServiceSavedAdmin(ServiceSavedAdminMixin, ScopedAdmin):
    """A scoped admin whose saves and deletes go through the network's services."""


@admin.register(Organization)
class OrganizationAdmin(ServiceSavedAdmin):
    list_display = ("name", "type", "city", "jurisdiction", "region_name", "member_since")
    list_filter = ("type", "jurisdiction__region", "affiliations")
    search_fields = ("name", "city")
    list_select_related = ("jurisdiction__region",)
    readonly_fields = ("slug", "created", "updated")
    fields = (
        "name",
        "slug",
        "type",
        "address",
        "city",
        "jurisdiction",
        "postal_code",
        ("latitude", "longitude"),
        "affiliations",
        "member_since",
        "website",
        ("created", "updated"),
    )

    @admin.display(description=_("region"), ordering="jurisdiction__region__number")
    def region_name(self, obj: Organization) -> str:
        return obj.jurisdiction.region.name

    def get_queryset(self, request: HttpRequest):
        return selectors.organizations_manageable_by(request.user)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "website":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "jurisdiction":
            kwargs["queryset"] = selectors.jurisdictions_manageable_by(request.user).order_by("name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        pass  # Saved with its affiliations in save_related, in one service call.

    def save_related(self, request, form, formsets, change) -> None:
        services.organization_save(
            actor=request.user, organization=form.instance, affiliations=list(form.cleaned_data["affiliations"])
        )

    def delete_model(self, request, obj) -> None:
        services.organization_delete(actor=request.user, organization=obj)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ServiceSavedAdmin):
    list_display = ("user", "role", "region", "organization", "granted_by", "created")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email", "organization__name")
    fields = ("user", "role", "region", "organization")

    def get_queryset(self, request: HttpRequest):
        return selectors.role_assignments_visible_to(request.user).select_related("granted_by")

    def get_readonly_fields(self, request, obj=None):
        # An assignment is granted or revoked, never edited.
        return self.fields if obj is not None else ()

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return obj is None and self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        role = admin_role(request)
        if role == STAFF:
            return True
        if role != COORDINATOR:
            return False
        if obj is None:
            return True
        organizations = selectors.organizations_in_regions_of(request.user)
        return obj.role == Role.ORGANIZER and organizations.filter(pk=obj.organization_id).exists()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = selectors.users_assignable_by(request.user)
        elif db_field.name == "region":
            kwargs["queryset"] = Region.objects.all() if admin_role(request) == STAFF else Region.objects.none()
        elif db_field.name == "organization":
            kwargs["queryset"] = selectors.organizations_in_regions_of(request.user).select_related("jurisdiction")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and admin_role(request) != STAFF:
            kwargs["choices"] = [(Role.ORGANIZER.value, Role.ORGANIZER.label)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        try:
            assignment = services.role_grant(
                actor=request.user, user=obj.user, role=obj.role, region=obj.region, organization=obj.organization
            )
        except NetworkError as error:
            # The form's choices are already scoped, so this is a race with another grant or a forged request.
            messages.error(request, error.message)
            raise PermissionDenied(error.message) from error
        obj.pk, obj.created, obj.granted_by = assignment.pk, assignment.created, assignment.granted_by

    def delete_model(self, request, obj) -> None:
        services.role_revoke(actor=request.user, assignment=obj)


@admin.register(Profile)
class ProfileAdmin(ServiceSavedAdmin):
    list_display = ("__str__", "user", "organization", "wikipedia_username", "preferred_language")
    search_fields = ("display_name", "user__username", "user__email", "wikipedia_username")
    fields = ("user", "display_name", "organization", "wikipedia_username", "preferred_language")
    readonly_fields = ("user",)

    def get_queryset(self, request: HttpRequest):
        return selectors.profiles_visible_to(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # Profiles come with accounts.

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organization":
            kwargs["queryset"] = selectors.organizations_in_regions_of(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        services.profile_update(
            user=obj.user,
            actor=request.user,
            display_name=data["display_name"],
            organization=data["organization"],
            wikipedia_username=data["wikipedia_username"],
            preferred_language=data["preferred_language"],
        )


@admin.register(Region)
class RegionAdmin(ServiceSavedAdminMixin, StaffOnlyAdmin):
    is_staff = staticmethod(selectors.user_is_network_staff)
    list_display = ("number", "name", "slug", "contact_name", "contact_email")
    fields = ("number", "name", "slug", "contact_name", "contact_email", "contact_url")

    def save_model(self, request, obj, form, change) -> None:
        services.region_save(actor=request.user, region=obj)


class ReferenceDataAdmin(ServiceSavedAdminMixin, StaffOnlyAdmin):
    """States, territories and affiliations: network staff only, saved and deleted through the services."""

    is_staff = staticmethod(selectors.user_is_network_staff)

    def _through_service(self, request: HttpRequest, service, **records) -> None:
        try:
            service(actor=request.user, **records)
        except NetworkError as error:
            self.message_user(request, error.message, messages.ERROR)
            raise PermissionDenied(error.message) from error


@admin.register(Jurisdiction)
class JurisdictionAdmin(ReferenceDataAdmin):
    list_display = ("code", "name", "kind", "region")
    list_filter = ("kind", "region")
    search_fields = ("code", "name")
    list_select_related = ("region",)

    def save_model(self, request, obj, form, change) -> None:
        self._through_service(request, services.jurisdiction_save, jurisdiction=obj)

    def delete_model(self, request, obj) -> None:
        self._through_service(request, services.jurisdiction_delete, jurisdiction=obj)


@admin.register(Affiliation)
class AffiliationAdmin(ReferenceDataAdmin):
    list_display = ("code", "name", "gives_kit_priority")

    def save_model(self, request, obj, form, change) -> None:
        self._through_service(request, services.affiliation_save, affiliation=obj)

    def delete_model(self, request, obj) -> None:
        self._through_service(request, services.affiliation_delete, affiliation=obj)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, StaffOnlyAdmin):
    is_staff = staticmethod(selectors.user_is_network_staff)
    list_display = ("created", "actor", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("action", "object_id", "actor__username")
    list_select_related = ("actor",)
    date_hierarchy = "created"
    readonly_fields = ("created", "actor", "action", "object_type", "object_id", "detail")

