"""The kits app's emails: to the requester at every status change, to the representatives about requests to
confirm. Called inside services; the mail goes out through the task worker after the transaction commits."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from crowdsci.core.email import email_enqueue_on_commit
from crowdsci.kits.models import KitRequest


def request_url(kit_request: KitRequest) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("kits-request-detail", args=[kit_request.public_id])


def _subjects() -> dict[str, str]:
    return {
        "submitted": _("We received your kit request"),
        "confirmed": _("Your regional representative confirmed receipt of your kit request"),
        "offered": _("A kit is ready for you: please confirm within %(days)s days"),
        "accepted": _("Thank you: your kit will be shipped"),
        "shipped": _("Your kit has shipped"),
        "delivered": _("Your kit was delivered"),
        "due_soon": _("Your kit is due back soon"),
        "overdue": _("Your kit is overdue"),
        "lost": _("Your kit is now recorded as lost"),
        "renewed": _("Your kit loan was renewed"),
        "returned": _("We received your kit back"),
        "declined": _("Your kit request was declined"),
        "withdrawn": _("Your kit request was withdrawn"),
        "expired": _("Your kit offer expired"),
        "hold_on": _("Kit shipping is paused"),
        "hold_off": _("Kit shipping has resumed"),
        "moved": _("Your place in the kit queue changed"),
    }


def requester_notify(kit_request: KitRequest, event: str, note: str = "") -> None:
    """Email the requester about ``event`` (a status or a notice), in the language they made the request in."""
    with translation.override(kit_request.language or "en"):
        subject = _subjects()[event] % {"days": settings.KITS_OFFER_DAYS}
        lines = [
            _("Hello %(name)s,") % {"name": kit_request.contact_name},
            "",
            subject + ".",
        ]
        if note:
            lines += ["", note]
        lines += [
            "",
            _("Organization: %(organization)s") % {"organization": kit_request.organization.name},
            _("Your request's page (status, history and place in the queue): %(url)s")
            % {"url": request_url(kit_request)},
        ]
        body = "\n".join(lines)
    email_enqueue_on_commit(subject=subject, body=body, to=[kit_request.contact_email])


def representatives_notify(kit_request: KitRequest, emails: list[str], *, reminder: bool = False) -> None:
    if not emails:
        return
    manage_url = settings.SITE_URL.rstrip("/") + reverse("kits-manage-request", args=[kit_request.pk])
    if reminder:
        subject = _("Reminder: a kit request from %(organization)s waits for your confirmation of receipt")
    else:
        subject = _("New kit request from %(organization)s: please confirm receipt")
    subject = subject % {"organization": kit_request.organization.name}
    body = "\n".join(
        [
            subject + ".",
            "",
            _("Submitted: %(date)s") % {"date": kit_request.submitted.strftime("%Y-%m-%d %H:%M")},
            _("Confirm receipt here: %(url)s") % {"url": manage_url},
        ]
    )
    email_enqueue_on_commit(subject=subject, body=body, to=emails)
