"""Citizen Science Month: editions, the libraries that host, their dated events, registrations with a waitlist,
and the featured projects hosts draw activities from."""

from __future__ import annotations

import datetime
import zoneinfo
from functools import lru_cache

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from crowdsci.catalog.models import Guide, Term
from crowdsci.network.models import Jurisdiction, Organization


@lru_cache(maxsize=1)
def _timezone_names() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def timezone_choices() -> list[tuple[str, str]]:
    """IANA time zones a US network's events use first, then every other one."""
    common = [
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Phoenix",
        "America/Los_Angeles",
        "America/Anchorage",
        "Pacific/Honolulu",
        "America/Puerto_Rico",
        "Pacific/Guam",
        "Pacific/Pago_Pago",
    ]
    rest = [name for name in _timezone_names() if name not in common and "/" in name]
    return [(name, name.replace("_", " ")) for name in common + rest]


class Format(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    VIRTUAL = "virtual", _("Virtual")
    HYBRID = "hybrid", _("Hybrid")


class Edition(models.Model):
    """One year's Citizen Science Month."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    partner = models.CharField(_("partner"), max_length=200, blank=True)
    partner_url = models.URLField(_("partner's website"), blank=True)
    summary = models.TextField(_("what it is"), blank=True)
    kit_contents = models.TextField(_("program kit contents"), blank=True)
    signup_deadline = models.DateField(_("host sign-up deadline"))
    materials_guide = models.ForeignKey(
        Guide,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("facilitation guide"),
        help_text=_("The catalog guide (with its downloadable files) approved hosts receive."),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="edition_ends_after_start"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2200), name="edition_year_plausible"),
        ]

    def __str__(self) -> str:
        return _("Citizen Science Month %(year)s") % {"year": self.year}

    def get_absolute_url(self) -> str:
        return reverse("events-edition", kwargs={"year": self.year})


class FeaturedProject(models.Model):
    """A project curated with the partner; fields in the spirit of PPSR-Core's project metadata."""

    class Setting(models.TextChoices):
        ONLINE = "online", _("Online")
        ON_LOCATION = "on_location", _("On location")
        BOTH = "both", _("Online or on location")

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    url = models.URLField(_("link"))
    topics = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("topics"))
    age_min = models.PositiveSmallIntegerField(_("youngest age"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("oldest age"), null=True, blank=True)
    setting = models.CharField(_("where"), max_length=16, choices=Setting.choices)
    time_commitment = models.CharField(_("time commitment"), max_length=100, blank=True)
    curated_by = models.CharField(_("curated by"), max_length=200, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("featured project")
        verbose_name_plural = _("featured projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(setting__in=["online", "on_location", "both"]), name="project_setting_known"
            ),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True) | Q(age_max__isnull=True) | Q(age_max__gte=models.F("age_min")),
                name="project_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events-project", kwargs={"slug": self.slug})


class Host(models.Model):
    """An organization's sign-up to host in one edition, its review, and its program kit's journey."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    class KitStatus(models.TextChoices):
        NOT_STARTED = "not_started", _("Not prepared yet")
        PREPARED = "prepared", _("Prepared")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="hosts", verbose_name=_("edition"))
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="event_hosts", verbose_name=_("organization")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    contact_name = models.CharField(_("contact name"), max_length=200)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    format = models.CharField(_("planned format"), max_length=16, choices=Format.choices)
    audiences = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("audiences"))
    expected_attendance = models.PositiveIntegerField(_("expected attendance"))
    preferred_dates = models.CharField(_("preferred dates"), max_length=300, blank=True)
    interests = models.ManyToManyField(
        FeaturedProject, blank=True, related_name="+", verbose_name=_("featured projects of interest")
    )
    shipping_address = models.TextField(_("where to ship the program kit"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decision_reason = models.TextField(_("reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    kit_status = models.CharField(
        _("program kit"), max_length=16, choices=KitStatus.choices, default=KitStatus.NOT_STARTED
    )
    kit_carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    kit_tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    kit_updated = models.DateTimeField(_("kit updated"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["edition", "organization__name"]
        verbose_name = _("host")
        verbose_name_plural = _("hosts")
        constraints = [
            models.UniqueConstraint(fields=["edition", "organization"], name="host_one_signup_per_edition"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "declined"]), name="host_status_known"
            ),
            models.CheckConstraint(condition=Q(format__in=Format.values), name="host_format_known"),
            models.CheckConstraint(
                condition=Q(kit_status__in=["not_started", "prepared", "shipped", "delivered"]),
                name="host_kit_status_known",
            ),
            # A kit moves only for an approved host, and a shipped kit says how.
            models.CheckConstraint(
                condition=Q(kit_status="not_started") | Q(status="approved"), name="host_kit_only_when_approved"
            ),
            models.CheckConstraint(
                condition=~Q(kit_status__in=["shipped", "delivered"]) | ~Q(kit_tracking_number=""),
                name="host_shipped_kit_has_tracking",
            ),
        ]
        indexes = [models.Index(fields=["edition", "status"])]

    def __str__(self) -> str:
        return f"{self.organization} ({self.edition.year})"


class Event(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    class LocationSource(models.TextChoices):
        """Where an in-person event's coordinates came from: the host's pick on the map, or the member directory
        (no network geocoder) when none was picked."""

        NONE = "", _("Not on the map")
        PICKED = "picked", _("Picked by the host")
        ORGANIZATION = "organization", _("The host library's location")
        CITY = "city", _("The city, from the directory's libraries there")
        STATE = "state", _("Approximate: a library in the same state")

    host = models.ForeignKey(Host, on_delete=models.PROTECT, related_name="events", verbose_name=_("host"))
    # The host's edition, kept on the row so the public listings filter one table.
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="events", verbose_name=_("edition"))
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    local_date = models.DateField(_("date"), editable=False)  # starts_at's date in the event's time zone
    timezone = models.CharField(_("time zone"), max_length=64, default="America/New_York")
    format = models.CharField(_("format"), max_length=16, choices=Format.choices)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("street address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    # Where the event is, for the region and state filters: the venue's state, or the host's for a virtual event.
    jurisdiction = models.ForeignKey(
        Jurisdiction, on_delete=models.PROTECT, related_name="+", verbose_name=_("state or territory")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    location_source = models.CharField(
        _("coordinates from"), max_length=16, choices=LocationSource.choices, default="", blank=True
    )
    virtual_url = models.URLField(_("virtual link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    accessibility_notes = models.TextField(_("accessibility notes"), blank=True)
    projects = models.ManyToManyField(
        FeaturedProject, blank=True, related_name="events", verbose_name=_("featured projects used")
    )
    audiences = models.ManyToManyField(Term, blank=True, related_name="+", verbose_name=_("audiences"))
    registration_required = models.BooleanField(_("registration needed"), default=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SCHEDULED)
    # Places taken by confirmed registrations, kept by the registration services under the event's row lock
    # (they recount before writing it), so listings show what is left without counting 200,000 rows.
    places_taken = models.PositiveIntegerField(_("places taken"), default=0)
    sequence = models.PositiveIntegerField(default=0)  # iCalendar SEQUENCE: calendars replace older copies
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    report_notes = models.TextField(_("report notes"), blank=True)
    reported_at = models.DateTimeField(_("reported"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(condition=Q(status__in=["scheduled", "cancelled"]), name="event_status_known"),
            models.CheckConstraint(condition=Q(format__in=Format.values), name="event_format_known"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="event_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(places_taken__lte=models.F("capacity")),
                name="event_never_over_capacity",
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180)
                    & Q(latitude__isnull=False, longitude__isnull=False)
                ),
                name="event_coordinates_both_or_neither_and_in_range",
            ),
            # Coordinates always say where they came from, and a source always has coordinates.
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(location_source=""))
                | (Q(latitude__isnull=False) & Q(location_source__in=["picked", "organization", "city", "state"])),
                name="event_coordinates_have_a_source",
            ),
            models.CheckConstraint(condition=Q(format="in_person") | ~Q(virtual_url=""), name="event_virtual_has_link"),
            models.CheckConstraint(condition=Q(format="virtual") | ~Q(city=""), name="event_in_person_has_place"),
        ]
        indexes = [
            models.Index(fields=["edition", "starts_at"]),
            models.Index(fields=["edition", "local_date", "starts_at"]),
            models.Index(fields=["edition", "jurisdiction", "starts_at"]),
            # The map data's cache version: the edition's events counted, and the newest change, on the index.
            models.Index(fields=["edition", "updated"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # The calendar's day is the event's own local date; kept on the row so the month grid groups by an index.
        self.local_date = self.starts_at.astimezone(self.tzinfo).date()
        self.__dict__.pop("local_start", None)
        self.__dict__.pop("local_end", None)
        if kwargs.get("update_fields") is not None and {"starts_at", "timezone"} & set(kwargs["update_fields"]):
            kwargs["update_fields"] = {*kwargs["update_fields"], "local_date"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("events-detail", kwargs={"slug": self.slug})

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @cached_property
    def local_start(self) -> datetime.datetime:
        return self.starts_at.astimezone(self.tzinfo)

    @cached_property
    def local_end(self) -> datetime.datetime:
        return self.ends_at.astimezone(self.tzinfo)

    @property
    def ends_another_day(self) -> bool:
        return self.local_end.date() != self.local_start.date()

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.places_taken, 0)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_in_person(self) -> bool:
        return self.format != Format.VIRTUAL

    @property
    def is_virtual(self) -> bool:
        return self.format != Format.IN_PERSON

    @property
    def location_is_approximate(self) -> bool:
        """Placed on the map from the directory's libraries in the event's state, not from its own town: good
        enough for the map, not for a partner's geo field."""
        return self.location_source == self.LocationSource.STATE

    @property
    def outside_edition(self) -> bool:
        edition = self.edition
        return self.local_start.date() < edition.starts_on or self.local_end.date() > edition.ends_on


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event"))
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    party_size = models.PositiveSmallIntegerField(_("party size"), default=1)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    # The waitlist's order: who asked first (then the row id, for two in the same microsecond).
    created = models.DateTimeField(auto_now_add=True)
    promoted_at = models.DateTimeField(_("promoted from the waitlist"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["confirmed", "waitlisted", "cancelled"]), name="registration_status_known"
            ),
            models.CheckConstraint(
                condition=Q(party_size__gte=1, party_size__lte=20), name="registration_party_size_range"
            ),
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=Q(status__in=["confirmed", "waitlisted"]),
                name="registration_one_active_per_email",
            ),
            models.CheckConstraint(
                condition=Q(attended=False) | Q(status="confirmed"), name="registration_attended_only_confirmed"
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "created"]),
            # The reminder task's poll: confirmed registrations not reminded yet.
            models.Index(fields=["status", "reminder_sent_at"], name="registration_reminder_poll"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.event})"
