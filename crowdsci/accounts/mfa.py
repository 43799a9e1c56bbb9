"""Two-factor sign-in (django-allauth's MFA: an authenticator app's codes, and recovery codes).

Anyone may turn it on from the "Two-factor sign-in" page; network staff and regional coordinators find it in the
Staff menu. With ``MFA_REQUIRED_FOR_STAFF`` (on by default in production) network staff and superusers must set it
up before using any page but the set-up itself and signing out, the admin included. Once it is set up, allauth
asks for a code at every sign-in (the admin's sign-in goes through allauth too).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from crowdsci.network.selectors import user_is_network_staff


def mfa_required(user) -> bool:
    """Whether this person must have two-factor sign-in: network staff (superusers included), when the setting
    says so. Coordinators, who use the admin for their region, may turn it on but are not made to."""
    if not getattr(settings, "MFA_REQUIRED_FOR_STAFF", False) or not user.is_authenticated:
        return False
    return user_is_network_staff(user)


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def _allowed_paths() -> tuple[str, ...]:
    # The set-up pages (allauth asks for the password again there), signing out, and what pages need to render.
    return (
        reverse("mfa_index"),
        reverse("account_logout"),
        reverse("account_reauthenticate"),
        reverse("account_login"),
        settings.STATIC_URL,
        "/i18n/",
        "/jsi18n/",
        "/favicon.ico",
    )


class StaffMFAMiddleware:
    """Sends staff without two-factor sign-in to set it up (when MFA_REQUIRED_FOR_STAFF); after AccountMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if mfa_required(request.user) and not request.path.startswith(_allowed_paths()) and not has_totp(request.user):
            messages.warning(request, _("Network staff must set up two-factor sign-in before going on."))
            return redirect("mfa_activate_totp")
        return self.get_response(request)
