"""Hosted events inside a campaign: organizers create and manage their own; participants join them."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from crowdsci.campaigns.errors import CampaignsError
from crowdsci.campaigns.models import Campaign, HostedEvent, HostedEventAttendee, Participant
from crowdsci.campaigns.selectors.access import hosted_event_manageable_by, user_organizes
from crowdsci.core.audit import audit_record
from crowdsci.core.errors import full_clean_or_raise
from crowdsci.core.locking import lock_row
from crowdsci.network.models import Organization

EVENT_FIELDS = ("title", "description", "start", "end", "time_zone", "mode", "address", "url", "capacity",
                "organization")


def _check_fields(campaign: Campaign, *, start: datetime, end: datetime, time_zone: str) -> None:
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise CampaignsError(_("Unknown time zone: %(zone)s.") % {"zone": time_zone}) from None
    if end <= start:
        raise CampaignsError(_("An event ends after it starts."))
    if start < campaign.start or end > campaign.end:
        raise CampaignsError(_("A hosted event takes place inside the campaign's period."))


@transaction.atomic(durable=True)
def hosted_event_create(
    *,
    actor: AbstractBaseUser,
    campaign: Campaign,
    title: str,
    start: datetime,
    end: datetime,
    time_zone: str,
    mode: str,
    description: str = "",
    address: str = "",
    url: str = "",
    capacity: int | None = None,
    organization: Organization | None = None,
) -> HostedEvent:
    if not user_organizes(actor):
        raise CampaignsError(_("Only organizers and network staff host events."))
    _check_fields(campaign, start=start, end=end, time_zone=time_zone)
    event = HostedEvent(
        campaign=campaign, organizer=actor, organization=organization, title=title.strip(),
        description=description.strip(), start=start, end=end, time_zone=time_zone, mode=mode,
        address=address.strip() if mode == HostedEvent.Mode.IN_PERSON else "",
        url=url.strip() if mode == HostedEvent.Mode.VIRTUAL else "", capacity=capacity,
    )
    full_clean_or_raise(event, CampaignsError, messages={
        "__all__": _("An in-person event needs an address and a virtual one a link."),
    })
    event.save()
    audit_record(actor=actor, action="hosted_event.create", obj=event)
    return event


@transaction.atomic(durable=True)
def hosted_event_update(
    *,
    actor: AbstractBaseUser,
    event: HostedEvent,
    title: str,
    start: datetime,
    end: datetime,
    time_zone: str,
    mode: str,
    description: str = "",
    address: str = "",
    url: str = "",
    capacity: int | None = None,
    organization: Organization | None = None,
) -> HostedEvent:
    event = lock_row(HostedEvent.objects.select_related("campaign"), event.pk)
    if not hosted_event_manageable_by(actor, event):
        raise CampaignsError(_("Only the event's organizer or network staff change it."))
    _check_fields(event.campaign, start=start, end=end, time_zone=time_zone)
    attending = event.attendees.count()
    if capacity is not None and capacity < attending:
        raise CampaignsError(
            _("%(count)s people have already joined; the capacity cannot be lower.") % {"count": attending}
        )
    event.title, event.description = title.strip(), description.strip()
    event.start, event.end, event.time_zone, event.mode = start, end, time_zone, mode
    event.address = address.strip() if mode == HostedEvent.Mode.IN_PERSON else ""
    event.url = url.strip() if mode == HostedEvent.Mode.VIRTUAL else ""
    event.capacity, event.organization = capacity, organization
    full_clean_or_raise(event, CampaignsError, messages={
        "__all__": _("An in-person event needs an address and a virtual one a link."),
    })
    event.save()
    audit_record(actor=actor, action="hosted_event.update", obj=event)
    return event


@transaction.atomic(durable=True)
def hosted_event_delete(*, actor: AbstractBaseUser, event: HostedEvent) -> None:
    event = lock_row(HostedEvent, event.pk)
    if not hosted_event_manageable_by(actor, event):
        raise CampaignsError(_("Only the event's organizer or network staff delete it."))
    audit_record(actor=actor, action="hosted_event.delete", obj=event, detail={"title": event.title})
    event.delete()


@transaction.atomic(durable=True)
def hosted_event_join(*, user: AbstractBaseUser, event: HostedEvent) -> HostedEventAttendee:
    """The user joins as the campaign participant they are; the event's row is locked so capacity holds."""
    event = lock_row(HostedEvent, event.pk)
    participant = Participant.objects.filter(campaign_id=event.campaign_id, user=user, left__isnull=True).first()
    if participant is None:
        raise CampaignsError(_("Register for the campaign first, then join its events."))
    existing = HostedEventAttendee.objects.filter(event=event, participant=participant).first()
    if existing is not None:
        return existing
    if event.capacity is not None and event.attendees.count() >= event.capacity:
        raise CampaignsError(_("This event is full."))
    attendee = HostedEventAttendee.objects.create(event=event, participant=participant)
    audit_record(actor=user, action="hosted_event.join", obj=attendee)
    return attendee


@transaction.atomic(durable=True)
def hosted_event_leave(*, user: AbstractBaseUser, event: HostedEvent) -> None:
    attendee = HostedEventAttendee.objects.filter(event=event, participant__user=user).first()
    if attendee is None:
        return
    audit_record(actor=user, action="hosted_event.leave", obj=attendee)
    attendee.delete()
