import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from crowdsci.core.testing import PASSWORD
from crowdsci.network.tests.factories import make_user

CONFIRM_LINK = re.compile(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/")


@pytest.mark.django_db
def test_sign_up_sends_a_verification_email_and_the_link_logs_the_person_in(
    client: Client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "ada@example.org", "password1": PASSWORD, "password2": PASSWORD},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.org"]
    link = CONFIRM_LINK.search(message.body).group(0)

    # Not verified yet: logging in is refused until the link is followed.
    client.logout()
    client.post(reverse("account_login"), {"login": "ada@example.org", "password": PASSWORD})
    assert client.get(reverse("accounts-profile")).status_code == 302

    confirm_path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + confirm_path).status_code == 200
    response = client.post("/" + confirm_path)
    assert response.status_code == 302
    assert client.get(reverse("accounts-profile")).status_code == 200


@pytest.mark.django_db
def test_log_in_and_log_out(client: Client):
    make_user("grace")
    response = client.post(reverse("account_login"), {"login": "grace@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("accounts-profile")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("accounts-profile")).status_code == 302


@pytest.mark.django_db
def test_repeated_failed_logins_are_rate_limited(client: Client):
    make_user("linus")
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": "linus@example.org", "password": "wrong-password"})
        assert response.status_code == 200  # the form again, with an error
    # After five failures for this address even the right password is refused for a while.
    response = client.post(reverse("account_login"), {"login": "linus@example.org", "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("accounts-profile")).status_code == 302


@pytest.mark.django_db
def test_floods_of_sign_ups_from_one_address_get_429(client: Client):
    statuses = [
        client.post(reverse("account_signup"), {"email": f"bot{n}@example.org", "password1": "x", "password2": "y"})
        .status_code
        for n in range(12)
    ]
    assert statuses[0] == 200
    assert statuses[-1] == 429


@pytest.mark.django_db
def test_password_reset_sends_an_email(client: Client, django_capture_on_commit_callbacks):
    make_user("margaret")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "margaret@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


@pytest.mark.django_db
def test_sign_up_form_requires_a_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("account_signup"), {"email": "eve@example.org", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 403


def test_sign_in_with_wikipedia_names_us_as_every_other_wikimedia_request_does():
    from django.conf import settings

    from crowdsci.wikimedia import build_user_agent

    agent = settings.SOCIALACCOUNT_PROVIDERS["mediawiki"]["USER_AGENT"]
    assert agent == build_user_agent(settings.WIKIMEDIA_CONTACT)
    assert settings.WIKIMEDIA_CONTACT in agent
