"""Citizen Science Month in the admin: a place to look things up, not a way around the services.

Editions are created and changed by network staff through ``edition_create`` and ``edition_update`` (audited).
Hosts, events, registrations and featured projects are read-only here: they change only through the pages whose
services keep their rules (review and kit tracking, the waitlist under the event's lock, the all-or-nothing
project import). Who sees which rows is the selectors' answer, as on those pages: staff everything, a regional
coordinator the hosts of their region with their events and registrants; a row out of scope answers 404.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from crowdsci.core.admin import ReadOnlyAdminMixin, ServiceSavedAdminMixin, StaffOnlyAdmin
from crowdsci.events import selectors, services
from crowdsci.events.errors import EventsError
from crowdsci.events.models import Edition, Event, FeaturedProject, Host, Registration
from crowdsci.network.selectors import user_is_network_staff


@admin.register(Edition)
class EditionAdmin(ServiceSavedAdminMixin, StaffOnlyAdmin):
    is_staff = staticmethod(user_is_network_staff)
    list_display = ("year", "starts_on", "ends_on", "signup_deadline", "partner")
    search_fields = ("=year", "partner")
    fields = (
        "year",
        ("starts_on", "ends_on"),
        "signup_deadline",
        ("partner", "partner_url"),
        "summary",
        "kit_contents",
        "materials_guide",
    )
    raw_id_fields = ("materials_guide",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "partner_url":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return ("year",) if obj is not None else ()

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # an edition keeps its hosts, events and numbers

    def save_model(self, request: HttpRequest, obj: Edition, form, change: bool) -> None:
        try:
            if change:
                saved = services.edition_update(actor=request.user, edition=obj)
            else:
                saved = services.edition_create(
                    actor=request.user,
                    year=obj.year,
                    starts_on=obj.starts_on,
                    ends_on=obj.ends_on,
                    signup_deadline=obj.signup_deadline,
                    partner=obj.partner,
                    partner_url=obj.partner_url,
                    summary=obj.summary,
                    kit_contents=obj.kit_contents,
                    materials_guide=obj.materials_guide,
                )
        except EventsError as error:
            # The form has validated already, so this is a race (another edition for that year) or a forged post.
            self.message_user(request, error.message, messages.ERROR)
            raise PermissionDenied(error.message) from error
        obj.pk = saved.pk


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only, for staff and regional coordinators, scoped by ``get_queryset`` (a selector)."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # the read-only view still builds a form

    def _allowed(self, request: HttpRequest) -> bool:
        return selectors.user_reviews_hosts(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return self._allowed(request)


    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None):
        # Out of scope (or missing) is a plain 404, not the admin's redirect to its index.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


@admin.register(Host)
class HostAdmin(ReadOnlyAdmin):
    list_display = ("organization", "edition", "region", "format", "status", "kit_status", "created")
    list_filter = ("edition", "status", "kit_status", "format", "organization__jurisdiction__region")
    search_fields = ("organization__name", "organization__city", "contact_name", "contact_email")
    list_select_related = ("organization__jurisdiction__region", "edition")

    @admin.display(description=_("region"), ordering="organization__jurisdiction__region__number")
    def region(self, obj: Host) -> str:
        return obj.organization.jurisdiction.region.name

    def get_queryset(self, request: HttpRequest):
        return selectors.hosts_managed_by(request.user)


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("title", "starts_at", "host", "jurisdiction", "format", "status", "capacity", "places_taken")
    list_filter = ("edition", "status", "format", "jurisdiction__region", "location_source", "language")
    search_fields = ("title", "slug", "city", "host__organization__name")
    list_select_related = ("host__organization", "host__edition", "jurisdiction")
    show_full_result_count = False  # an edition of thousands: no second COUNT over the whole table per page

    def get_queryset(self, request: HttpRequest):
        return selectors.events_managed_by(request.user)


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ("name", "email", "event", "party_size", "status", "attended", "created")
    list_filter = ("status", "attended", "event__edition")
    search_fields = ("name", "email", "event__title")
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest):
        return selectors.registrations_managed_by(request.user)


@admin.register(FeaturedProject)
class FeaturedProjectAdmin(ReadOnlyAdmin):
    """Public curated projects; staff add and change them with the import page (all or nothing, row errors)."""

    list_display = ("title", "setting", "age_min", "age_max", "time_commitment", "curated_by")
    list_filter = ("setting", "topics")
    search_fields = ("title", "description", "curated_by")

    def get_queryset(self, request: HttpRequest):
        return FeaturedProject.objects.all()
