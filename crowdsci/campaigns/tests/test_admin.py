"""The campaigns' admin: staff create and change campaigns through the services; the rest is read-only."""

from __future__ import annotations

import pytest

from crowdsci.campaigns.models import Campaign
from crowdsci.core.models import AuditEntry
from crowdsci.core.testing import PASSWORD
from crowdsci.network.tests.factories import make_user

from .conftest import make_campaign

pytestmark = pytest.mark.django_db
FORM = {"name": "Spring 2026", "slug": "spring-2026", "theme": "", "description": "", "start_0": "2026-03-01",
        "start_1": "00:00:00", "end_0": "2026-04-01", "end_1": "00:00:00", "credit_mode": "hashtag",
        "hashtags_text": "#CiteNLM WikiMed", "wikis_text": "enwiki", "namespaces_text": "0"}


def staff_client(client):
    make_user("staffer", role="staff")
    client.login(username="staffer", password=PASSWORD)
    return client


def test_staff_create_a_campaign_through_the_service(client):
    response = staff_client(client).post("/admin/campaigns/campaign/add/", FORM)
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get()
    assert campaign.hashtags == ["citenlm", "wikimed"]
    assert AuditEntry.objects.filter(action="campaign.create", actor__username="staffer").exists()


def test_a_bad_hashtag_is_a_form_error(client):
    response = staff_client(client).post("/admin/campaigns/campaign/add/", {**FORM, "hashtags_text": "#2021"})
    assert response.status_code == 200
    assert "is not a hashtag" in response.content.decode()
    assert not Campaign.objects.exists()


def test_staff_change_a_campaign_and_see_edits_read_only(client):
    campaign = make_campaign()
    staff_client(client)
    response = client.post(f"/admin/campaigns/campaign/{campaign.pk}/change/", {**FORM, "name": "Renamed"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.name, campaign.slug) == ("Renamed", campaign.slug)
    assert AuditEntry.objects.filter(action="campaign.update").exists()
    assert client.get("/admin/campaigns/trackededit/").status_code == 200
    assert client.get("/admin/campaigns/trackededit/add/").status_code == 403


def test_people_without_the_staff_role_do_not_get_in(client):
    make_user("coord", role="coordinator", region=1)
    client.login(username="coord", password=PASSWORD)
    assert client.get("/admin/campaigns/campaign/").status_code in (302, 403)
