"""The tracker's status page: network staff only, with the stream's health and a warning when it is silent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from crowdsci.campaigns.models import StreamConsumer
from crowdsci.core.testing import PASSWORD
from crowdsci.network.tests.factories import make_user

pytestmark = pytest.mark.django_db
URL = "/campaigns/status/"


def login(client, name: str, role: str | None = None, region: int | None = None):
    user = make_user(name, role=role, region=region)
    client.login(username=name, password=PASSWORD)
    return user


def test_the_url():
    assert reverse("campaigns-status") == URL


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize(("role", "region"), [(None, None), ("coordinator", 2)])
def test_only_network_staff_see_it(client, role, region):
    login(client, "someone", role, region)
    assert client.get(URL).status_code == 403


def test_staff_see_the_counters_and_the_staff_menu_entry(client, settings):
    login(client, "staffer", "staff")
    now = timezone.now()
    StreamConsumer.objects.create(name="recentchange", stream_url="https://stream.example.org/rc",
                                  last_seen_at=now - timedelta(seconds=5), last_event_time=now - timedelta(seconds=7),
                                  lag_seconds=1.5, events_read=123456, events_matched=42, events_malformed=3,
                                  reconnections=2)
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    for text in ("123456", "42", "https://stream.example.org/rc", "1.5 s", "Edit tracker status"):
        assert text in page
    assert "check that track_edits is running" not in page
    assert f'href="{URL}"' in page  # the Staff menu links here


def test_a_silent_stream_is_warned_about(client, settings):
    settings.CAMPAIGNS_STREAM_SILENCE_WARNING_SECONDS = 300
    login(client, "staffer", "staff")
    StreamConsumer.objects.create(name="recentchange", last_seen_at=timezone.now() - timedelta(minutes=6))
    page = client.get(URL).content.decode()
    assert "check that track_edits is running" in page
    StreamConsumer.objects.all().delete()
    assert "The stream has never been read" in client.get(URL).content.decode()
