"""Writes of Citizen Science Month. Each is one function, in one durable transaction, with an audit row.

Registrations and the waitlist follow pretix's waiting list: the event row is the scarce resource, so every
write that takes or frees places locks it first (``lock_row``), recounts the confirmed places after the lock, and
only then decides. Freed places are always offered to the waitlist in the same transaction (pretix has had bugs
exactly where a cancellation forgot to), in order of who asked first, to every entry whose party fits.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from crowdsci.catalog.models import Guide, Term
from crowdsci.core.audit import audit_record
from crowdsci.core.errors import full_clean_or_raise
from crowdsci.core.locking import lock_row
from crowdsci.events import emails, project_file, selectors
from crowdsci.events.errors import EventsError
from crowdsci.events.models import Edition, Event, FeaturedProject, Format, Host, Registration
from crowdsci.network.models import Jurisdiction, Organization

AnyUser = AbstractBaseUser | AnonymousUser
ACTIVE = (Registration.Status.CONFIRMED, Registration.Status.WAITLISTED)
MAX_PARTY_SIZE = 20


class WaitlistOffered(EventsError):
    """Not enough places left for the party: the form offers the waitlist."""


# Editions --------------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def edition_create(
    *,
    actor: AnyUser | None,
    year: int,
    signup_deadline: datetime.date,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    partner: str = "",
    partner_url: str = "",
    summary: str = "",
    kit_contents: str = "",
    materials_guide: Guide | None = None,
) -> Edition:
    """A new edition; April of its year unless told otherwise."""
    if actor is not None and not selectors.network.user_is_network_staff(actor):
        raise EventsError(_("Only network staff can create an edition."))
    edition = Edition(
        year=year,
        starts_on=starts_on or datetime.date(year, 4, 1),
        ends_on=ends_on or datetime.date(year, 4, 30),
        signup_deadline=signup_deadline,
        partner=partner,
        partner_url=partner_url,
        summary=summary,
        kit_contents=kit_contents,
        materials_guide=materials_guide,
    )
    full_clean_or_raise(edition, EventsError, messages={"year": _("There is already an edition for that year.")})
    edition.save()
    audit_record(actor=actor, action="edition.create", obj=edition)
    return edition


EDITION_FIELDS = (
    "starts_on",
    "ends_on",
    "partner",
    "partner_url",
    "summary",
    "kit_contents",
    "signup_deadline",
    "materials_guide",
)


@transaction.atomic(durable=True)
def edition_update(*, actor: AnyUser | None, edition: Edition) -> Edition:
    """Staff change an edition (the admin's form): its dates, partner, texts, kit contents, sign-up deadline and
    facilitation guide. The year names the edition and stays. ``actor=None`` is the system."""
    if actor is not None and not selectors.network.user_is_network_staff(actor):
        raise EventsError(_("Only network staff can change an edition."))
    stored = lock_row(Edition, edition.pk)
    if stored.year != edition.year:
        raise EventsError(_("An edition's year cannot change; create the new year's edition instead."))
    changed = {
        name: str(getattr(edition, name)) for name in EDITION_FIELDS if getattr(stored, name) != getattr(edition, name)
    }
    for name in EDITION_FIELDS:
        setattr(stored, name, getattr(edition, name))
    full_clean_or_raise(stored, EventsError)
    stored.save()
    audit_record(actor=actor, action="edition.update", obj=stored, detail=changed)
    return stored


# Hosts -----------------------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def host_signup(
    *,
    actor: AbstractBaseUser,
    edition: Edition,
    organization: Organization,
    contact_name: str,
    contact_email: str,
    contact_phone: str = "",
    format: str,
    audiences: list[Term],
    expected_attendance: int,
    preferred_dates: str = "",
    interests: list[FeaturedProject],
    shipping_address: str,
    today: datetime.date | None = None,
) -> Host:
    """An organization offers to host during an edition; its regional coordinator reviews the offer."""
    today = today or timezone.localdate()
    if today > edition.signup_deadline:
        raise EventsError(
            _("Sign-up for %(edition)s closed on %(date)s.")
            % {"edition": edition, "date": edition.signup_deadline.isoformat()}
        )
    if Host.objects.filter(edition=edition, organization=organization).exists():
        raise EventsError(
            _("%(organization)s has already signed up for this edition.") % {"organization": organization}
        )
    if any(term.category.slug != "audiences" for term in audiences):
        raise EventsError(_("Choose audiences from the list."))
    host = Host(
        edition=edition,
        organization=organization,
        submitted_by=actor,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip(),
        format=format,
        expected_attendance=expected_attendance,
        preferred_dates=preferred_dates.strip(),
        shipping_address=shipping_address.strip(),
    )
    full_clean_or_raise(host, EventsError)
    host.save()
    host.audiences.set(audiences)
    host.interests.set(interests)
    audit_record(actor=actor, action="host.signup", obj=host, detail={"organization": organization.pk})
    return host


@transaction.atomic(durable=True)
def host_review(*, actor: AbstractBaseUser, host: Host, approve: bool, reason: str = "") -> Host:
    """Approve or decline a sign-up (its region's coordinator or staff); the host is emailed either way."""
    host = lock_row(Host.objects.select_related("edition", "organization"), host.pk)
    if not selectors.user_can_review_host(actor, host):
        raise EventsError(_("Only the organization's regional coordinator or network staff can review this sign-up."))
    if not approve and not reason.strip():
        raise EventsError(_("Give a reason when you decline a sign-up."))
    if host.status == Host.Status.APPROVED and not approve and host.events.exists():
        raise EventsError(_("This host already has events; cancel them before declining the host."))
    host.status = Host.Status.APPROVED if approve else Host.Status.DECLINED
    if not approve:
        host.kit_status = Host.KitStatus.NOT_STARTED
    host.decision_reason = reason.strip()
    host.reviewed_by = actor
    host.reviewed_at = timezone.now()
    full_clean_or_raise(host, EventsError)
    host.save()
    audit_record(
        actor=actor, action="host.approve" if approve else "host.decline", obj=host, reason=host.decision_reason
    )
    emails.host_reviewed(host)
    return host


_KIT_ORDER = [Host.KitStatus.NOT_STARTED, Host.KitStatus.PREPARED, Host.KitStatus.SHIPPED, Host.KitStatus.DELIVERED]


@transaction.atomic(durable=True)
def host_kit_update(
    *, actor: AbstractBaseUser, host: Host, kit_status: str, carrier: str = "", tracking_number: str = ""
) -> Host:
    """Move the physical kit along prepared → shipped (carrier, tracking number) → delivered."""
    host = lock_row(Host.objects.select_related("edition", "organization"), host.pk)
    if not selectors.user_can_review_host(actor, host):
        raise EventsError(_("Only the organization's regional coordinator or network staff can track its kit."))
    if host.status != Host.Status.APPROVED:
        raise EventsError(_("A program kit goes only to an approved host."))
    if kit_status not in Host.KitStatus.values:
        raise EventsError(_("Unknown kit status."))
    if _KIT_ORDER.index(kit_status) < _KIT_ORDER.index(host.kit_status):
        raise EventsError(_("The kit is already further along than that."))
    if kit_status in (Host.KitStatus.SHIPPED, Host.KitStatus.DELIVERED):
        host.kit_carrier = carrier.strip() or host.kit_carrier
        host.kit_tracking_number = tracking_number.strip() or host.kit_tracking_number
        if not host.kit_carrier or not host.kit_tracking_number:
            raise EventsError(_("A shipped kit needs its carrier and tracking number."))
    host.kit_status = kit_status
    host.kit_updated = timezone.now()
    full_clean_or_raise(host, EventsError)
    host.save()
    audit_record(actor=actor, action="host.kit", obj=host, detail={"kit_status": kit_status})
    return host


# Events ----------------------------------------------------------------------------------------------------


@dataclass
class EventFields:
    """What a host says about an event (the form's cleaned data)."""

    title: str
    description: str
    starts_at: datetime.datetime  # aware
    ends_at: datetime.datetime  # aware
    timezone: str
    format: str
    jurisdiction: Jurisdiction | None = None
    venue: str = ""
    address: str = ""
    city: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    virtual_url: str = ""
    capacity: int | None = None
    language: str = "en"
    accessibility_notes: str = ""
    registration_required: bool = True
    projects: list[FeaturedProject] = field(default_factory=list)
    audiences: list[Term] = field(default_factory=list)


def _event_apply(event: Event, fields: EventFields) -> None:
    try:
        zoneinfo.ZoneInfo(fields.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise EventsError(_("Unknown time zone.")) from error
    if fields.ends_at <= fields.starts_at:
        raise EventsError(_("The event must end after it starts."))
    if fields.format != Format.VIRTUAL and not fields.city.strip():
        # The state defaults to the host's own.
        raise EventsError(_("An in-person event needs its city and state."))
    if fields.format != Format.IN_PERSON and not fields.virtual_url.strip():
        raise EventsError(_("A virtual event needs its link."))
    organization = event.host.organization
    for name in (
        "title",
        "description",
        "starts_at",
        "ends_at",
        "timezone",
        "format",
        "venue",
        "address",
        "city",
        "latitude",
        "longitude",
        "virtual_url",
        "capacity",
        "language",
        "accessibility_notes",
        "registration_required",
    ):
        value = getattr(fields, name)
        setattr(event, name, value.strip() if isinstance(value, str) else value)
    event.jurisdiction = fields.jurisdiction or organization.jurisdiction
    if event.format == Format.VIRTUAL:
        event.venue = event.address = event.city = ""
        event.latitude = event.longitude = None
        event.location_source = Event.LocationSource.NONE
    elif event.latitude is not None:
        event.location_source = Event.LocationSource.PICKED
    else:
        # No point picked: placed from the directory (again on every save, so a changed town moves it).
        place = selectors.directory_place(city=event.city, jurisdiction=event.jurisdiction, organization=organization)
        event.latitude, event.longitude, event.location_source = (
            (place.latitude, place.longitude, place.source) if place else (None, None, Event.LocationSource.NONE)
        )
    if event.format == Format.IN_PERSON:
        event.virtual_url = ""


def _event_slug(title: str, starts_at: datetime.datetime) -> str:
    base = slugify(f"{title} {starts_at:%Y-%m-%d}")[:200] or "event"
    slug, number = base, 2
    while Event.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic(durable=True)
def event_create(*, actor: AbstractBaseUser, host: Host, fields: EventFields) -> Event:
    """An approved host registers a dated event. Dates outside the edition are allowed (the host sees a
    warning: ``event.outside_edition``)."""
    host = lock_row(Host.objects.select_related("edition", "organization"), host.pk)
    if not selectors.user_can_manage_host(actor, host):
        raise EventsError(_("You may register events only for your own organization."))
    if host.status != Host.Status.APPROVED:
        raise EventsError(_("Events can be registered once the sign-up is approved."))
    event = Event(host=host, edition=host.edition)
    _event_apply(event, fields)
    event.slug = _event_slug(event.title, event.starts_at)
    full_clean_or_raise(event, EventsError)
    event.save()
    event.projects.set(fields.projects)
    event.audiences.set(fields.audiences)
    audit_record(actor=actor, action="event.create", obj=event)
    return event


@transaction.atomic(durable=True)
def event_update(*, actor: AbstractBaseUser, event: Event, fields: EventFields) -> Event:
    """Change an event. A larger capacity offers the new places to the waitlist at once; a capacity below the
    places already taken is refused (nobody confirmed is dropped)."""
    event = lock_row(Event.objects.select_related("host__organization", "edition"), event.pk)
    if not selectors.user_can_manage_event(actor, event):
        raise EventsError(_("You may change only your own organization's events."))
    if event.is_cancelled:
        raise EventsError(_("This event is cancelled."))
    _event_apply(event, fields)
    taken = _places_taken(event)
    if event.capacity is not None and event.capacity < taken:
        raise EventsError(
            _("%(taken)s places are already taken; the capacity cannot be lower than that.") % {"taken": taken}
        )
    event.places_taken = taken
    event.sequence += 1
    full_clean_or_raise(event, EventsError)
    event.save()
    event.projects.set(fields.projects)
    event.audiences.set(fields.audiences)
    _waitlist_promote(event)
    audit_record(actor=actor, action="event.update", obj=event)
    return event


@transaction.atomic(durable=True)
def event_cancel(*, actor: AbstractBaseUser, event: Event, reason: str = "") -> Event:
    """Cancel an event: it stays listed (and in feeds) as cancelled, and everyone registered is emailed."""
    event = lock_row(Event.objects.select_related("host__organization", "edition", "jurisdiction"), event.pk)
    if not selectors.user_can_manage_event(actor, event):
        raise EventsError(_("You may cancel only your own organization's events."))
    if event.is_cancelled:
        raise EventsError(_("This event is already cancelled."))
    event.status = Event.Status.CANCELLED
    event.sequence += 1
    event.save(update_fields=["status", "sequence", "updated"])
    for registration in event.registrations.filter(status__in=ACTIVE):
        registration.event = event
        emails.registration_event_cancelled(registration, reason.strip())
    audit_record(actor=actor, action="event.cancel", obj=event, reason=reason.strip())
    return event


@transaction.atomic(durable=True)
def event_report(*, actor: AbstractBaseUser, event: Event, attendance: int, notes: str = "") -> Event:
    """After the event, the host reports how many came; the edition's numbers add these up."""
    event = lock_row(Event.objects.select_related("host", "edition"), event.pk)
    if not selectors.user_can_manage_event(actor, event):
        raise EventsError(_("You may report only on your own organization's events."))
    if event.is_cancelled:
        raise EventsError(_("This event was cancelled."))
    if event.starts_at > timezone.now():
        raise EventsError(_("Report attendance after the event has started."))
    if attendance < 0:
        raise EventsError(_("Attendance cannot be negative."))
    event.attendance = attendance
    event.report_notes = notes.strip()
    event.reported_at = timezone.now()
    event.save(update_fields=["attendance", "report_notes", "reported_at", "updated"])
    audit_record(actor=actor, action="event.report", obj=event, detail={"attendance": attendance})
    return event


# Registrations and the waitlist ----------------------------------------------------------------------------


def _places_taken(event: Event) -> int:
    """Confirmed places, counted from the rows (call with the event row locked)."""
    return (
        Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED).aggregate(
            taken=Sum("party_size")
        )["taken"]
        or 0
    )


def _waitlist_promote(event: Event) -> list[Registration]:
    """Offer free places to the waitlist, in order of who asked first: every entry whose party fits in what is
    left is confirmed, an entry too large for it keeps its place in line. Call with the event row locked."""
    if event.is_cancelled:
        return []
    taken = _places_taken(event)
    free = None if event.capacity is None else event.capacity - taken
    promoted: list[Registration] = []
    now = timezone.now()
    waitlist = Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED).order_by("created", "pk")
    for entry in waitlist:
        if free is not None and free <= 0:
            break
        if free is not None and entry.party_size > free:
            continue
        entry.status = Registration.Status.CONFIRMED
        entry.promoted_at = now
        entry.save(update_fields=["status", "promoted_at"])
        if free is not None:
            free -= entry.party_size
        taken += entry.party_size
        entry.event = event
        promoted.append(entry)
        audit_record(actor=None, action="registration.promote", obj=entry, detail={"event": event.pk})
        emails.registration_promoted(entry)
    if event.places_taken != taken:
        event.places_taken = taken
        event.save(update_fields=["places_taken"])
    return promoted


@transaction.atomic(durable=True)
def registration_create(
    *,
    event_id: int,
    name: str,
    email: str,
    party_size: int,
    join_waitlist: bool = False,
    now: datetime.datetime | None = None,
) -> Registration:
    """Register for an event; when there is no room for the whole party, join the waitlist (if asked to)."""
    now = now or timezone.now()
    event = lock_row(Event.objects.select_related("host", "edition", "jurisdiction"), event_id)
    if event.host.status != Host.Status.APPROVED:
        raise EventsError(_("This event is not open for registration."))
    if event.is_cancelled:
        raise EventsError(_("This event is cancelled."))
    if event.starts_at <= now:
        raise EventsError(_("This event has already started; registration is closed."))
    if not event.registration_required:
        raise EventsError(_("This event needs no registration: just come."))
    email = email.strip()
    if not 1 <= party_size <= MAX_PARTY_SIZE:
        raise EventsError(_("A party is 1 to %(max)s people.") % {"max": MAX_PARTY_SIZE})
    if Registration.objects.filter(event=event, email__iexact=email, status__in=ACTIVE).exists():
        raise EventsError(_("This email address is already registered for this event."))
    # Recount after the lock: the stored count is for listings; the decision is made on the rows.
    taken = _places_taken(event)
    if event.capacity is not None and party_size > event.capacity:
        raise EventsError(
            _("This event has %(capacity)s places in all; a party of %(size)s cannot fit.")
            % {"capacity": event.capacity, "size": party_size}
        )
    if event.capacity is None or party_size <= event.capacity - taken:
        status = Registration.Status.CONFIRMED
    elif join_waitlist:
        status = Registration.Status.WAITLISTED
    else:
        left = event.capacity - taken
        if left == 0:
            raise WaitlistOffered(_("This event is full. You can join its waitlist."))
        raise WaitlistOffered(
            ngettext(
                "Only %(left)s place is left, not enough for %(size)s. You can join the waitlist for your whole party.",
                "Only %(left)s places are left, not enough for %(size)s. You can join the waitlist for your whole "
                "party.",
                left,
            )
            % {"left": left, "size": party_size}
        )
    registration = Registration(event=event, name=name.strip(), email=email, party_size=party_size, status=status)
    full_clean_or_raise(
        registration, EventsError, messages={"__all__": _("This email address is already registered for this event.")}
    )
    registration.save()
    if status == Registration.Status.CONFIRMED:
        event.places_taken = taken + party_size
        event.save(update_fields=["places_taken"])
    audit_record(actor=None, action=f"registration.{status}", obj=registration, detail={"event": event.pk})
    if status == Registration.Status.CONFIRMED:
        emails.registration_confirmed(registration)
    else:
        emails.registration_waitlisted(registration)
    return registration


@transaction.atomic(durable=True)
def registration_cancel(*, registration_id: int, actor: AnyUser | None = None) -> Registration:
    """Cancel a registration or leave the waitlist (from the signed link, or the host); freed places go to the
    waitlist at once. Cancelling twice is harmless."""
    event_id = Registration.objects.filter(pk=registration_id).values_list("event_id", flat=True).first()
    if event_id is None:
        raise EventsError(_("This registration no longer exists."))
    event = lock_row(Event.objects.select_related("host", "edition", "jurisdiction"), event_id)
    registration = Registration.objects.get(pk=registration_id)  # re-read under the event's lock
    if actor is not None and actor.is_authenticated and not selectors.user_can_manage_event(actor, event):
        raise EventsError(_("You may cancel only registrations for your own organization's events."))
    if registration.status == Registration.Status.CANCELLED:
        return registration
    was_confirmed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.attended = False
    registration.save(update_fields=["status", "cancelled_at", "attended"])
    audit_record(actor=actor, action="registration.cancel", obj=registration, detail={"event": event.pk})
    if was_confirmed:
        _waitlist_promote(event)  # also stores the recounted places_taken
    registration.event = event
    return registration


@transaction.atomic(durable=True)
def registration_mark_attended(*, actor: AbstractBaseUser, registration: Registration, attended: bool) -> Registration:
    registration = Registration.objects.select_related("event").get(pk=registration.pk)
    if not selectors.user_can_manage_event(actor, registration.event):
        raise EventsError(_("You may check in only your own organization's registrants."))
    if registration.status != Registration.Status.CONFIRMED:
        raise EventsError(_("Only confirmed registrants can be checked in."))
    registration.attended = attended
    registration.save(update_fields=["attended"])
    audit_record(actor=actor, action="registration.attended" if attended else "registration.absent", obj=registration)
    return registration


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Email a reminder to every confirmed registrant of an event starting within 24 hours, once.

    Each registration is claimed with a compare-and-set on ``reminder_sent_at``, so two workers running this at
    once never send the same reminder twice; a claim commits with its email's enqueue."""
    now = now or timezone.now()
    due = Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
        event__status=Event.Status.SCHEDULED,
        event__starts_at__gt=now,
        event__starts_at__lte=now + datetime.timedelta(hours=24),
    ).values_list("pk", flat=True)
    sent = 0
    for registration_id in list(due):
        with transaction.atomic(durable=True):
            claimed = Registration.objects.filter(
                pk=registration_id, reminder_sent_at__isnull=True, status=Registration.Status.CONFIRMED
            ).update(reminder_sent_at=now)
            if not claimed:
                continue
            registration = Registration.objects.select_related("event__jurisdiction").get(pk=registration_id)
            emails.registration_reminder(registration)
            audit_record(actor=None, action="registration.remind", obj=registration)
            sent += 1
    return sent


# Featured projects -----------------------------------------------------------------------------------------


@transaction.atomic(durable=True)
def projects_import(*, actor: AbstractBaseUser | None, text: str) -> project_file.ProjectReport:
    """Import featured projects from CSV or JSON, creating or updating by slug: every row or none (a file with
    any error writes nothing, and the report lists each error with its row and field)."""
    if actor is not None and not selectors.network.user_is_network_staff(actor):
        raise EventsError(_("Only network staff can import featured projects."))
    report = project_file.check(text)
    if not report.ok:
        return report
    for planned in report.rows:
        project = FeaturedProject.objects.filter(slug=planned.values["slug"]).first()
        if project is None:
            project = FeaturedProject(**planned.values)
            report.created += 1
        else:
            for name, value in planned.values.items():
                setattr(project, name, value)
            report.updated += 1
        full_clean_or_raise(project, EventsError)
        project.save()
        project.topics.set(planned.topics)
    audit_record(
        actor=actor,
        action="project.import",
        obj=FeaturedProject,
        object_id="import",
        detail={"created": report.created, "updated": report.updated},
    )
    return report
