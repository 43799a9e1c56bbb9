"""Registering and leaving through the pages, staff creating and editing campaigns, and the rate limit on
public writes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from crowdsci.campaigns.models import Campaign, CampaignPage, Participant
from crowdsci.campaigns.tests.page_factories import make_campaign
from crowdsci.network.models import RoleAssignment
from crowdsci.network.tests.factories import make_organization, make_user

pytestmark = pytest.mark.django_db


def test_registering_with_a_typed_username_then_leaving(client: Client, fake_wikimedia):
    make_campaign("spring")
    user = make_user()
    client.force_login(user)
    library = make_organization("Harbor Library")

    response = client.post("/campaigns/spring/register/", {"wikipedia_username": "Randy_Kryn",
                                                           "organization": library.pk, "display": "display_name"})

    participant = Participant.objects.get(user=user)
    assert response.status_code == 302 and response["Location"] == f"/campaigns/spring/participants/{participant.pk}/"
    assert (participant.wikipedia_username, participant.organization, participant.display) == (
        "Randy Kryn", library, "display_name")
    assert client.get("/campaigns/spring/register/").status_code == 302  # already registered: to their page

    client.post("/campaigns/spring/leave/")
    participant.refresh_from_db()
    assert participant.left is not None


def test_an_unknown_username_is_a_message_not_a_registration(client: Client, fake_wikimedia):
    make_campaign("spring")
    client.force_login(make_user())
    response = client.post("/campaigns/spring/register/", {"wikipedia_username": "Surely Nobody 9", "display":
                                                           "username"})
    assert response.status_code == 200 and "no account named" in response.content.decode()
    assert not Participant.objects.exists()


def test_an_anonymous_visitor_is_offered_wikipedia_and_email(client: Client, fake_oauth):
    make_campaign("spring")
    content = client.get("/campaigns/spring/register/").content.decode()
    assert "Sign in with Wikipedia" in content and "/accounts/mediawiki/login/" in content
    assert "/accounts/signup/" in content
    response = client.post("/campaigns/spring/register/", {"wikipedia_username": "X", "display": "username"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_registration_is_rate_limited(client: Client, wikimedia_unreachable, monkeypatch):
    import django_ratelimit.core

    # One window for all the requests: the limit counts in clock-aligned windows, and a slow machine must not
    # cross into the next one halfway through.
    window = django_ratelimit.core._get_window
    monkeypatch.setattr(django_ratelimit.core, "_get_window", lambda value, period: window("fixed", 3600))
    make_campaign("spring")
    client.force_login(make_user())
    statuses = [client.post("/campaigns/spring/register/", {"wikipedia_username": "Bad|name",
                                                            "display": "username"}).status_code
                for _attempt in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_only_staff_create_campaigns_and_the_page_settings_are_saved(client: Client):
    guide_free = {"name": "Fall 2026", "slug": "fall-2026", "hashtags": "#CiteNLM #CiteNLM2026", "wikis": "enwiki",
                  "namespaces": "0", "start": "2026-10-01T00:00", "end": "2026-10-31T23:59",
                  "time_zone": "America/New_York", "theme": "Healthy Aging", "description": "",
                  "credit_mode": "hashtag", "live_session_start": "2026-10-28T13:00",
                  "live_session_end": "2026-10-28T15:00", "live_session_url": "https://meet.example.org/fall",
                  "show_leaderboards": "on"}
    client.force_login(make_user(role=RoleAssignment.Role.ORGANIZER, organization=make_organization()))
    assert client.get("/campaigns/new/").status_code == 403
    assert client.post("/campaigns/new/", guide_free).status_code == 403

    client.force_login(make_user(role=RoleAssignment.Role.STAFF))
    response = client.post("/campaigns/new/", guide_free)

    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get(slug="fall-2026")
    assert campaign.hashtags == ["citenlm", "citenlm2026"]
    assert "#CiteNLM" in client.get("/campaigns/fall-2026/").content.decode()  # shown as staff wrote it
    assert campaign.start.astimezone(timezone.get_default_timezone()).hour == 0
    page = CampaignPage.objects.get(campaign=campaign)
    assert (page.show_map, page.show_leaderboards) == (False, True)
    assert page.live_session_end - page.live_session_start == timedelta(hours=2)
    ics = client.get("/campaigns/fall-2026/live-session.ics")
    assert b"BEGIN:VEVENT" in ics.content

    edit = client.get("/campaigns/fall-2026/edit/")
    assert edit.status_code == 200 and 'value="Healthy Aging"' in edit.content.decode()
    client.post("/campaigns/fall-2026/edit/", {**guide_free, "name": "Fall 2026 (renamed)", "show_map": "on"})
    campaign.refresh_from_db()
    assert campaign.name == "Fall 2026 (renamed)" and CampaignPage.objects.get(campaign=campaign).show_map


def test_a_bad_period_is_a_form_error(client: Client):
    client.force_login(make_user(role=RoleAssignment.Role.STAFF))
    response = client.post("/campaigns/new/", {"name": "X", "slug": "x", "hashtags": "#CiteNLM", "wikis": "enwiki",
                                               "namespaces": "0", "start": "2026-10-31T00:00",
                                               "end": "2026-10-01T00:00", "time_zone": "UTC",
                                               "credit_mode": "hashtag"})
    assert response.status_code == 200 and "after its start" in response.content.decode()
    assert not Campaign.objects.exists()


def test_slugs_that_are_pages_are_refused(client: Client):
    client.force_login(make_user(role=RoleAssignment.Role.STAFF))
    for slug in ("new", "status"):
        response = client.post("/campaigns/new/", {"name": "X", "slug": slug, "hashtags": "#CiteNLM",
                                                   "wikis": "enwiki", "namespaces": "0", "start": "2026-10-01T00:00",
                                                   "end": "2026-10-31T00:00", "time_zone": "UTC",
                                                   "credit_mode": "hashtag"})
        assert response.status_code == 200 and "another page" in response.content.decode()
    assert not Campaign.objects.exists()
