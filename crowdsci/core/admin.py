"""Admin site titles, and the one way our admins save through the services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import csrf_protect_m
from django.http import HttpRequest

admin.site.site_header = f"{settings.NETWORK_SHORT_NAME} crowdsci administration"
admin.site.site_title = f"{settings.NETWORK_SHORT_NAME} crowdsci"
admin.site.index_title = "Administration"


class ServiceSavedAdminMixin:
    """For admins whose saves and deletes go through services that open their own durable transaction.

    Django wraps changeform_view and delete_view in transaction.atomic, which a durable transaction cannot nest
    in, so these views run without that wrapper (still CSRF-protected). The trade-off: Django's own LogEntry is
    written after the service commits, not with it; our AuditEntry is always written with the change. Bulk delete
    is removed because it would delete rows without the services.
    """

    @csrf_protect_m
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return self._changeform_view(request, object_id, form_url, extra_context)

    @csrf_protect_m
    def delete_view(self, request, object_id, extra_context=None):
        return self._delete_view(request, object_id, extra_context)

    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
