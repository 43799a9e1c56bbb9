"""What the campaign pages contribute to the site: navigation, the Staff menu, the home page's program card, and
their periodic jobs (each a real task the scheduler can enqueue)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.test import Client, RequestFactory
from django.utils import timezone
from django.utils.module_loading import import_string

from crowdsci.campaigns.tests.page_factories import make_campaign
from crowdsci.network.models import RoleAssignment
from crowdsci.network.tests.factories import make_user

pytestmark = pytest.mark.django_db


def request_for(user=None):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    return request


def test_the_pages_jobs_are_declared_and_their_tasks_exist():
    config = apps.get_app_config("campaigns")
    jobs = {job.name: job for job in config.scheduled_jobs()}
    assert {"campaigns.refresh_edits", "campaigns.worklists_refresh", "campaigns.usernames_recheck",
            "campaigns.network_rollup", "campaigns.article_views"} <= set(jobs)
    for job in jobs.values():
        assert callable(import_string(job.task).enqueue)


def test_the_staff_menu_offers_a_new_campaign_to_staff_only():
    config = apps.get_app_config("campaigns")
    assert config.staff_navigation(request_for(make_user())) == []
    labels = [item.label for item in config.staff_navigation(request_for(make_user(role=RoleAssignment.Role.STAFF)))]
    assert "New campaign" in labels


def test_the_program_card_shows_the_running_campaign_else_the_next(client: Client):
    config = apps.get_app_config("campaigns")
    now = timezone.now()
    make_campaign("next", name="Next one", start=now + timedelta(days=5), end=now + timedelta(days=30))
    # The name is isolated (FSI ... PDI), so a Latin name keeps its order inside an Arabic sentence.
    assert config.program_card(request_for()).status == "\u2068Next one\u2069: coming up"
    make_campaign("now", name="Running one")
    card = config.program_card(request_for())
    assert card.url == "/campaigns/" and card.status == "\u2068Running one\u2069: running now"
    assert "\u2068Running one\u2069: running now" in client.get("/").content.decode()


def test_a_campaign_ending_at_midnight_eastern_shows_its_real_last_day():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    eastern = ZoneInfo("America/New_York")
    campaign = make_campaign("spring", name="Spring", start=datetime(2027, 3, 1, tzinfo=eastern),
                             end=datetime(2027, 4, 1, tzinfo=eastern))
    assert (campaign.first_day.isoformat(), campaign.last_day.isoformat()) == ("2027-03-01", "2027-03-31")
    card = apps.get_app_config("campaigns").program_card(request_for())
    assert [day.isoformat() for day in card.dates] == ["2027-03-01", "2027-03-31"]
