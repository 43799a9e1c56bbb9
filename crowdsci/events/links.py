"""Signed links sent by email: a registrant cancels (or leaves the waitlist) without an account."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from crowdsci.events.models import Event, Registration

_CANCEL_SALT = "crowdsci.events.registration-cancel"


def registration_cancel_token(registration: Registration) -> str:
    # The email is signed too, so a token stays bound to the person it was sent to.
    return signing.dumps({"r": registration.pk, "e": registration.email.lower()}, salt=_CANCEL_SALT, compress=True)


def registration_from_cancel_token(token: str) -> Registration | None:
    """The registration the token was made for, or None for a forged, damaged or stale token."""
    try:
        data = signing.loads(token, salt=_CANCEL_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    registration = Registration.objects.select_related("event").filter(pk=data.get("r")).first()
    if registration is None or registration.email.lower() != data.get("e"):
        return None
    return registration


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def registration_cancel_url(registration: Registration) -> str:
    return absolute(reverse("events-registration-cancel", kwargs={"token": registration_cancel_token(registration)}))


def event_url(event: Event) -> str:
    return absolute(event.get_absolute_url())


def event_ics_url(event: Event) -> str:
    return absolute(reverse("events-detail-ics", kwargs={"slug": event.slug}))
