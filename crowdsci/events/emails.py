"""The app's emails, each sent through the task queue after the transaction that caused it commits."""

from __future__ import annotations

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from crowdsci.core.email import email_enqueue_on_commit
from crowdsci.events import links
from crowdsci.events.models import Event, Host, Registration


def _when(event: Event) -> str:
    start, end = event.local_start, event.local_end
    date = formats.date_format(start, "DATE_FORMAT")
    zone = event.timezone.replace("_", " ")
    until = formats.time_format(end, "TIME_FORMAT")
    if event.ends_another_day:
        until = f"{formats.date_format(end, 'DATE_FORMAT')}, {until}"
    return f"{date}, {formats.time_format(start, 'TIME_FORMAT')}–{until} ({zone})"


def _event_lines(event: Event) -> list[str]:
    lines = [event.title, _when(event)]
    if event.is_in_person:
        lines.append(
            ", ".join(part for part in (event.venue, event.address, event.city, event.jurisdiction.code) if part)
        )
    if event.is_virtual and event.virtual_url:
        lines.append(_("Online: %(url)s") % {"url": event.virtual_url})
    lines.append(_("Event page: %(url)s") % {"url": links.event_url(event)})
    lines.append(_("Add to your calendar: %(url)s") % {"url": links.event_ics_url(event)})
    return lines


def _send(registration: Registration, subject: str, opening: str, *, cancel_link: bool = True) -> None:
    lines = [_("Hello %(name)s,") % {"name": registration.name}, "", opening, "", *_event_lines(registration.event)]
    if cancel_link:
        lines += [
            "",
            _("Can't come? Cancel here, so someone else can have your place: %(url)s")
            % {"url": links.registration_cancel_url(registration)},
        ]
    email_enqueue_on_commit(subject=subject, body="\n".join(lines), to=[registration.email])


def registration_confirmed(registration: Registration) -> None:
    _send(
        registration,
        _("You are registered: %(title)s") % {"title": registration.event.title},
        ngettext("You are registered for %(count)s place.", "You are registered for %(count)s places.",
                 registration.party_size) % {"count": registration.party_size},
    )


def registration_waitlisted(registration: Registration) -> None:
    _send(
        registration,
        _("You are on the waitlist: %(title)s") % {"title": registration.event.title},
        ngettext(
            "The event is full, so you are on its waitlist for %(count)s place. We will email you as soon as "
            "a place frees up and you are in. Use the link below to leave the waitlist at any time.",
            "The event is full, so you are on its waitlist for %(count)s places. We will email you as soon as "
            "places free up and you are in. Use the link below to leave the waitlist at any time.",
            registration.party_size,
        )
        % {"count": registration.party_size},
    )


def registration_promoted(registration: Registration) -> None:
    _send(
        registration,
        _("A place opened up: you are in for %(title)s") % {"title": registration.event.title},
        ngettext(
            "A place freed up and you moved from the waitlist: you are registered for %(count)s place.",
            "Places freed up and you moved from the waitlist: you are registered for %(count)s places.",
            registration.party_size,
        )
        % {"count": registration.party_size},
    )


def registration_reminder(registration: Registration) -> None:
    _send(
        registration,
        _("Reminder: %(title)s is tomorrow") % {"title": registration.event.title},
        _("A reminder that your event starts within 24 hours."),
    )


def registration_event_cancelled(registration: Registration, reason: str) -> None:
    opening = _("We are sorry: this event has been cancelled.")
    if reason:
        opening += "\n" + reason
    _send(registration, _("Cancelled: %(title)s") % {"title": registration.event.title}, opening, cancel_link=False)


def host_reviewed(host: Host) -> None:
    edition = str(host.edition)
    if host.status == Host.Status.APPROVED:
        subject = _("You are a host of %(edition)s") % {"edition": edition}
        body = _(
            "%(organization)s is approved to host during %(edition)s. The facilitation materials are open to "
            "you now, and we will tell you when the program kit ships. Register your events here: %(url)s"
        )
    else:
        subject = _("Your sign-up for %(edition)s") % {"edition": edition}
        body = _(
            "We are sorry: %(organization)s's sign-up to host during %(edition)s was declined. Your dashboard: %(url)s"
        )
    body = body % {
        "organization": host.organization.name,
        "edition": edition,
        "url": links.absolute(reverse("events-manage")),
    }
    if host.decision_reason:
        body += "\n\n" + _("Reason: %(reason)s") % {"reason": host.decision_reason}
    email_enqueue_on_commit(subject=subject, body=body, to=[host.contact_email])
