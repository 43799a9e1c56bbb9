"""Cancelling through the emailed link: a signed token, a confirmation page, a POST that cancels and promotes."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from crowdsci.events.links import registration_cancel_token
from crowdsci.events.models import Registration
from crowdsci.events.tests.factories import make_event, register

pytestmark = pytest.mark.django_db


def test_the_emailed_link_cancels_and_the_next_in_line_is_promoted(client, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        register(event, "Ada")
        register(event, "Ben")
    path = re.search(r"https?://[^/]+(/citizen-science-month/registrations/\S+/cancel/)", mail.outbox[0].body).group(1)
    page = client.get(path)
    assert page.status_code == 200
    assert "Cancel my registration" in page.content.decode()
    assert Registration.objects.get(name="Ada").status == Registration.Status.CONFIRMED  # a GET changes nothing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path)
    assert "is cancelled" in response.content.decode()
    assert Registration.objects.get(name="Ada").status == Registration.Status.CANCELLED
    assert Registration.objects.get(name="Ben").status == Registration.Status.CONFIRMED
    assert mail.outbox[0].to == ["ben@example.org"]


def test_a_forged_or_altered_token_is_refused():
    from django.test import Client

    event = make_event(capacity=1)
    ada = register(event, "Ada")
    token = registration_cancel_token(ada)
    client = Client()
    assert client.post(f"/citizen-science-month/registrations/{token}x/cancel/").status_code == 404
    assert client.post("/citizen-science-month/registrations/1/cancel/").status_code == 404
    ada.refresh_from_db()
    assert ada.status == Registration.Status.CONFIRMED


def test_a_waitlisted_person_leaves_the_waitlist(client):
    event = make_event(capacity=1)
    register(event, "Ada")
    ben = register(event, "Ben")
    path = f"/citizen-science-month/registrations/{registration_cancel_token(ben)}/cancel/"
    assert "Leave the waitlist" in client.get(path).content.decode()
    client.post(path)
    ben.refresh_from_db()
    assert ben.status == Registration.Status.CANCELLED
