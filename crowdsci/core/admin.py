"""Admin site titles, the one way our admins save through the services, the staff-only admin base, and the
"view on site" shortcut limited to what the person may see. Imports no app: who counts as staff is the network's
rule, which each staff-only admin names (``is_staff``)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import csrf_protect_m
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404, HttpRequest, HttpResponse

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


class ReadOnlyAdminMixin:
    """Records to look up, never to add, change or delete here (put it before the admin base class)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class StaffOnlyAdmin(admin.ModelAdmin):
    """Records only network staff see and change (reference data: regions, the taxonomy, the audit log).

    Roles, not Django's per-model permissions, decide: every permission is one answer of ``is_staff``, which a
    subclass sets to the network's rule (``crowdsci.network.selectors.user_is_network_staff``); core cannot import
    it. Left unset, nobody gets in. A missing record answers 404 rather than the admin's redirect to its index.
    """

    is_staff: Callable[..., bool] | None = None

    def _is_staff(self, request: HttpRequest) -> bool:
        is_staff = type(self).is_staff
        return is_staff is not None and is_staff(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._is_staff(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._is_staff(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._is_staff(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._is_staff(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._is_staff(request)

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


def view_on_site(request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
    """Django's "view on site" shortcut (``/admin/r/<type>/<id>/``), for records the person may see in the admin.

    Django's own shortcut redirects any staff user to any object's address, so a coordinator could learn the
    addresses of other regions' draft guides by counting ids. Here the record is looked up through its admin (the
    admin's queryset is the person's scope) and must be viewable there; anything else is a 404.
    """
    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type is not None else None
    if model is None or not admin.site.is_registered(model):
        raise Http404
    model_admin = admin.site.get_model_admin(model)
    if not model_admin.view_on_site:
        raise Http404
    obj = model_admin.get_object(request, unquote(object_id))
    if obj is None or not model_admin.has_view_or_change_permission(request, obj):
        raise Http404
    return shortcut(request, content_type_id, object_id)
