"""The event page: details, JSON-LD, registration and the waitlist offer, and the rate limit."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail

from crowdsci.events.models import Registration
from crowdsci.events.tests.factories import make_event, register

pytestmark = pytest.mark.django_db


def post(client, event, name="Ada", party_size=1, **extra):
    data = {"name": name, "email": f"{name.lower()}@example.org", "party_size": party_size, **extra}
    return client.post(event.get_absolute_url(), data)


def test_the_page_shows_the_event_and_schema_org_json_ld_as_a_data_block(client):
    event = make_event(title="Bird count </script><script>alert(1)</script>", capacity=10)
    response = client.get(event.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)" not in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    assert data["@type"] == "Event"
    assert data["name"] == event.title
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["remainingAttendeeCapacity"] == 10
    assert data["startDate"] == event.local_start.isoformat()


def test_registering_confirms_and_emails(client, django_capture_on_commit_callbacks):
    event = make_event(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, event, "Ada", 2)
    assert response.status_code == 200
    assert "You are registered for 2 places" in response.content.decode()
    assert Registration.objects.get().status == Registration.Status.CONFIRMED
    assert mail.outbox[0].to == ["ada@example.org"]


def test_a_party_too_large_is_offered_the_waitlist_then_joins_it(client):
    event = make_event(capacity=2)
    register(event, "Ben")
    response = post(client, event, "Ada", 2)
    html = response.content.decode()
    assert "Only 1 place is left" in html
    assert re.search(r'name="join_waitlist"[^>]*checked', html)
    assert not Registration.objects.filter(name="Ada").exists()
    response = post(client, event, "Ada", 2, join_waitlist="on")
    assert "You are on the waitlist" in response.content.decode()
    assert Registration.objects.get(name="Ada").status == Registration.Status.WAITLISTED


def test_a_full_event_offers_the_waitlist(client):
    event = make_event(capacity=1)
    register(event, "Ben")
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Join the waitlist" in html


def test_errors_are_shown_and_nothing_is_stored(client):
    event = make_event(capacity=5)
    register(event, "Ada")
    response = post(client, event, "Ada")
    assert "already registered" in response.content.decode()
    assert Registration.objects.count() == 1


def test_registrant_emails_are_not_on_the_public_page(client):
    event = make_event(capacity=5)
    register(event, "Ada")
    assert "ada@example.org" not in client.get(event.get_absolute_url()).content.decode()


def test_registration_is_rate_limited(client, settings, one_ratelimit_window):
    event = make_event(capacity=None)
    statuses = [post(client, event, f"Person{i}").status_code for i in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_an_unknown_event_is_404(client):
    assert client.get("/citizen-science-month/events/nothing-here/").status_code == 404
