"""Test the Waters: kit types, numbered copies, the request queue, loans, sanitation, the shipping hold and the
activity guide's audio tracks.

The database refuses what the program forbids: one open request per organization, one open loan per copy, one
loan per request, one shipping hold row, one audio track per language and number. Services (services.py) are the
only writers; each status change also leaves a history row (who, when, why) and an audit entry.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crowdsci.network.models import Organization, Region

# The six languages of the activity guide, in the program's order (codes are the site's UI language codes).
AUDIO_LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en", "English"),
    ("ar", "العربية"),
    ("es", "Español"),
    ("ko", "한국어"),
    ("vi", "Tiếng Việt"),
    ("zh-hans", "中文（简体）"),
)
TRACK_COUNT = 10


class KitType(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    contents = models.JSONField(_("contents checklist"), default=list, blank=True)
    sanitation_steps = models.JSONField(_("sanitation checklist"), default=list, blank=True)
    sanitation_guide = models.TextField(_("sanitation guide"), blank=True)
    activity_guide = models.TextField(_("activity guide"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kit type")
        verbose_name_plural = _("kit types")

    def __str__(self) -> str:
        return self.name


class KitCopy(models.Model):
    class Status(models.TextChoices):
        AVAILABLE = "available", _("Available")
        RESERVED = "reserved", _("Reserved")
        SHIPPED = "shipped", _("Shipped")
        ON_LOAN = "on_loan", _("On loan")
        RETURNED = "returned", _("Returned, awaiting sanitation")
        MAINTENANCE = "maintenance", _("In maintenance")
        LOST = "lost", _("Lost")
        RETIRED = "retired", _("Retired")

    kit_type = models.ForeignKey(KitType, on_delete=models.PROTECT, related_name="copies", verbose_name=_("kit type"))
    asset_tag = models.CharField(_("asset tag"), max_length=40, unique=True)
    home_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="kit_copies", verbose_name=_("home region")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.AVAILABLE)
    # After sanitation the copy rests (cleaning, restocking) until this moment; only then can it be allocated.
    available_from = models.DateTimeField(_("available from"), null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["asset_tag"]
        verbose_name = _("kit copy")
        verbose_name_plural = _("kit copies")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "available",
                        "reserved",
                        "shipped",
                        "on_loan",
                        "returned",
                        "maintenance",
                        "lost",
                        "retired",
                    ]
                ),
                name="kitcopy_status_known",
            ),
        ]
        indexes = [models.Index(fields=["kit_type", "status", "available_from"], name="kits_copy_free")]

    def __str__(self) -> str:
        return self.asset_tag


class CopyStatusChange(models.Model):
    """The history of one copy: every status change with who, when and why."""

    copy = models.ForeignKey(KitCopy, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    reason = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.copy_id}: {self.from_status} → {self.to_status}"


OPEN_REQUEST_STATUSES = ("submitted", "confirmed", "offered", "accepted", "shipped", "delivered")
WAITING_REQUEST_STATUSES = ("submitted", "confirmed")


class KitRequest(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        CONFIRMED = "confirmed", _("Receipt confirmed")
        OFFERED = "offered", _("Kit allocated: please confirm")
        ACCEPTED = "accepted", _("Confirmed, waiting to ship")
        SHIPPED = "shipped", _("Shipped")
        DELIVERED = "delivered", _("Delivered")
        RETURNED = "returned", _("Returned")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Offer expired")
        LOST = "lost", _("Kit reported lost")

    # The requester's page is reached by this unguessable id (the form is public: no account needed).
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kit_type = models.ForeignKey(KitType, on_delete=models.PROTECT, related_name="requests", verbose_name=_("kit"))
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="kit_requests", verbose_name=_("organization")
    )
    # The region at submission, so a later move of the organization does not move the request.
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="kit_requests", verbose_name=_("region"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="kit_requests"
    )
    contact_name = models.CharField(_("contact name"), max_length=200)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    shipping_address = models.TextField(_("shipping address"), max_length=1000)
    intended_use = models.TextField(_("intended use"), max_length=4000)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    audience_size = models.PositiveIntegerField(_("audience size"))
    language = models.CharField(_("language"), max_length=10, default="en")
    # The organization's affiliations as they were when the request was made.
    affiliation_codes = models.JSONField(_("affiliations"), default=list, blank=True)
    has_priority = models.BooleanField(_("priority affiliation"), default=False)
    # Queue order: priority desc, queue_time asc, id asc. Both start from the affiliations and the submission
    # time; a staff move (audited, with its reason) changes them to place the request between two others.
    priority = models.SmallIntegerField(_("priority"), default=0)
    queue_time = models.DateTimeField(_("queue time"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted = models.DateTimeField(_("submitted"))
    confirmed_at = models.DateTimeField(_("receipt confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted", "-id"]
        verbose_name = _("kit request")
        verbose_name_plural = _("kit requests")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(status__in=OPEN_REQUEST_STATUSES),
                name="kitrequest_one_open_per_organization",
                violation_error_message=_("This organization already has an open kit request."),
            ),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="kitrequest_dates_order"),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "submitted",
                        "confirmed",
                        "offered",
                        "accepted",
                        "shipped",
                        "delivered",
                        "returned",
                        "declined",
                        "withdrawn",
                        "expired",
                        "lost",
                    ]
                ),
                name="kitrequest_status_known",
            ),
        ]
        indexes = [
            models.Index(fields=["kit_type", "status", "-priority", "queue_time", "id"], name="kits_request_queue"),
            models.Index(fields=["region", "status"], name="kits_request_region"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.submitted:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES

    @property
    def is_waiting(self) -> bool:
        return self.status in WAITING_REQUEST_STATUSES


class RequestEvent(models.Model):
    """The request's history as the requester sees it: each status change, with who, when and a note."""

    request = models.ForeignKey(KitRequest, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=16, choices=KitRequest.Status.choices)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self) -> str:
        return f"{self.request_id}: {self.status}"


OPEN_LOAN_STATUSES = ("offered", "accepted", "shipped", "on_loan")


class Loan(models.Model):
    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        SHIPPED = "shipped", _("Shipped")
        ON_LOAN = "on_loan", _("On loan")
        RETURNED = "returned", _("Returned")
        EXPIRED = "expired", _("Offer expired")
        CANCELLED = "cancelled", _("Cancelled")
        LOST = "lost", _("Lost")

    request = models.OneToOneField(KitRequest, on_delete=models.PROTECT, related_name="loan")
    copy = models.ForeignKey(KitCopy, on_delete=models.PROTECT, related_name="loans")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.OFFERED)
    allocated_at = models.DateTimeField(_("allocated"))
    offer_expires_at = models.DateTimeField(_("offer expires"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    renewed = models.BooleanField(default=False)
    due_soon_sent = models.BooleanField(default=False)
    overdue_notices = models.PositiveSmallIntegerField(default=0)
    last_overdue_notice = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    missing_parts = models.JSONField(default=list, blank=True)
    damaged_parts = models.JSONField(default=list, blank=True)
    condition_notes = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-allocated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["copy"], condition=Q(status__in=OPEN_LOAN_STATUSES), name="loan_one_open_per_copy"
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["offered", "accepted", "shipped", "on_loan", "returned", "expired", "cancelled", "lost"]
                ),
                name="loan_status_known",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "offer_expires_at"], name="kits_loan_offer"),
            models.Index(fields=["status", "due_date"], name="kits_loan_due"),
        ]

    def __str__(self) -> str:
        return f"{self.copy} → {self.request.organization}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_LOAN_STATUSES


class SanitationRecord(models.Model):
    copy = models.ForeignKey(KitCopy, on_delete=models.CASCADE, related_name="sanitations")
    loan = models.ForeignKey(Loan, on_delete=models.SET_NULL, null=True, blank=True, related_name="sanitations")
    steps_done = models.JSONField(default=list)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField()

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.copy_id} sanitized {self.recorded_at:%Y-%m-%d}"


class ShippingHold(models.Model):
    """The network-wide shipping pause: one row (id 1). While on, requests are accepted, nothing ships."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    is_on = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="shippinghold_singleton")]

    def __str__(self) -> str:
        return "on" if self.is_on else "off"


def audio_upload_to(instance: AudioTrack, filename: str) -> str:
    # The name comes from the track, never from the uploaded file's name.
    return f"kits/audio/{instance.language}/track-{instance.number:02d}{instance.extension}"


class AudioTrack(models.Model):
    language = models.CharField(_("language"), max_length=10, choices=AUDIO_LANGUAGES)
    number = models.PositiveSmallIntegerField(_("track number"))
    title = models.CharField(_("title"), max_length=200)
    transcript = models.TextField(_("transcript"), blank=True)
    file = models.FileField(_("audio file"), upload_to=audio_upload_to, max_length=200)
    content_type = models.CharField(max_length=40)
    extension = models.CharField(max_length=8)
    duration_seconds = models.FloatField(_("duration (seconds)"))
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["language", "number"]
        constraints = [
            models.UniqueConstraint(fields=["language", "number"], name="audiotrack_one_per_language_number"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=TRACK_COUNT), name="audiotrack_number"),
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.number}: {self.title}"

    @property
    def duration_display(self) -> str:
        # Whole seconds rounded down, as the browsers' players show it, but never 0:00 for a real track.
        total = max(1, int(self.duration_seconds))
        return f"{total // 60}:{total % 60:02d}"
