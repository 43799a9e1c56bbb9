"""Two-factor sign-in: required for staff when the setting says so (the admin included), optional for others."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import reverse

from crowdsci.network.tests.factories import make_user


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/guides/", "/admin/", "/staff/status/"])
def test_staff_without_two_factor_are_sent_to_set_it_up(settings, path):
    settings.MFA_REQUIRED_FOR_STAFF = True
    response = _signed_in(make_user(role="staff", superuser=True)).get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_the_set_up_page_and_signing_out_stay_open(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    client = _signed_in(make_user(role="staff"))
    # allauth asks for the password again first (this sign-in did not go through its form); that page is open too.
    activate = client.get(reverse("mfa_activate_totp"))
    assert activate.status_code == 302 and activate["Location"].startswith(reverse("account_reauthenticate"))
    assert client.get(activate["Location"]).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302
    assert client.get("/").status_code == 200  # signed out: the home page is public


@pytest.mark.django_db
def test_staff_with_two_factor_go_anywhere(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    staff = make_user(role="staff", superuser=True)
    TOTP.activate(staff, generate_totp_secret())
    client = _signed_in(staff)
    assert client.get("/admin/").status_code == 200
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_others_are_not_forced_but_coordinators_see_the_page_in_the_staff_menu(settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    coordinator = _signed_in(make_user(role="coordinator", region=2))
    page = coordinator.get("/")
    assert page.status_code == 200
    assert reverse("mfa_index") in page.content.decode()
    participant = _signed_in(make_user())
    assert participant.get("/").status_code == 200
    assert reverse("mfa_index") not in participant.get("/").content.decode()


@pytest.mark.django_db
def test_the_setting_off_forces_no_one(settings):
    settings.MFA_REQUIRED_FOR_STAFF = False
    assert _signed_in(make_user(role="staff", superuser=True)).get("/admin/").status_code == 200
    assert not Authenticator.objects.exists()
