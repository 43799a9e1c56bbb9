"""Kit types in the admin: network staff only, saved through the service (no delete: copies and requests keep
them). Copies, requests and loans are worked on in the kits pages, whose services record every change."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from crowdsci.core.admin import ServiceSavedAdminMixin, StaffOnlyAdmin
from crowdsci.kits import services
from crowdsci.kits.errors import KitsError
from crowdsci.kits.models import KitType
from crowdsci.network import selectors as network_selectors


@admin.register(KitType)
class KitTypeAdmin(ServiceSavedAdminMixin, StaffOnlyAdmin):
    is_staff = staticmethod(network_selectors.user_is_network_staff)
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    fields = ("name", "slug", "description", "contents", "sanitation_steps", "sanitation_guide", "activity_guide")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        try:
            services.kit_type_save(actor=request.user, kit_type=obj)
        except KitsError as error:
            self.message_user(request, error.message, messages.ERROR)
            raise PermissionDenied(error.message) from error
