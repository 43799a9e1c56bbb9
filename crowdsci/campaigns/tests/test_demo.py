"""The demo campaign: the real CRISPR history tracked through the pipeline; loading it twice adds nothing."""

from __future__ import annotations

import pytest

from crowdsci.campaigns import demo
from crowdsci.campaigns.models import Campaign, TrackedEdit
from crowdsci.campaigns.tracking import aggregates

pytestmark = pytest.mark.django_db


def test_the_demo_tracks_real_edits_and_loads_twice_without_duplicates():
    demo.load_demo_campaign()
    campaign = Campaign.objects.get(slug=demo.DEMO_SLUG)
    first = sorted(TrackedEdit.objects.values_list("revid", "status", "citations_added"))
    demo.load_demo_campaign()
    assert sorted(TrackedEdit.objects.values_list("revid", "status", "citations_added")) == first
    assert Campaign.objects.count() == 1
    history = demo.history()
    real = {revision["revid"]: revision for revision in history}
    assert len(first) == len(history[1:]) // demo.TAG_EVERY  # every second edit is tagged; none is by the bot
    assert {status for _revid, status, _added in first} == {"credited", "reverted"}
    assert all(added is not None for _revid, _status, added in first)
    for edit in TrackedEdit.objects.all():
        assert edit.user == real[edit.revid]["user"]
        assert edit.summary.removesuffix(" #CiteNLM").removesuffix("#CiteNLM") == real[edit.revid]["comment"]
        assert demo.DEMO_START <= edit.timestamp < demo.DEMO_END
    assert aggregates.drift(campaign) == []
    assert campaign.aggregates.get(kind="total").edits > 0


def test_reverts_are_read_from_the_real_summaries():
    reverted = demo.reverted_revids(demo.history())
    assert 747638946 in reverted  # the 1.6 MB vandal copy, undone by David Biddulph
    assert 747491219 in reverted  # reverted by ClueBot NG
    assert 747949972 not in reverted


def test_the_demo_registers_its_editors_with_mixed_display_choices_before_their_edits(client):
    from crowdsci.campaigns.models import CampaignEdit, Participant
    from crowdsci.campaigns.page_demo import DEMO_PARTICIPANTS
    from crowdsci.network.demo import load_demo_network

    load_demo_network()
    demo.load_demo_campaign()
    demo.load_demo_campaign()  # twice: no second registration
    campaign = Campaign.objects.get(slug=demo.DEMO_SLUG)

    participants = Participant.objects.filter(campaign=campaign)
    assert participants.count() == len(DEMO_PARTICIPANTS)
    assert set(participants.values_list("display", flat=True)) == {"username", "display_name", "anonymous"}
    assert participants.filter(organization__isnull=False).exists()
    assert all(participant.user.email.endswith("@example.org") and not participant.user.has_usable_password()
               for participant in participants)
    # Registered from the start, so every edit of theirs is attributed as it matched (organization boards too).
    attributed = CampaignEdit.objects.filter(campaign=campaign, participant__isnull=False)
    assert set(attributed.values_list("edit__user", flat=True)) <= {name for name, *_rest in DEMO_PARTICIPANTS}
    assert attributed.exists() and attributed.filter(organization__isnull=False).exists()
    assert not CampaignEdit.objects.filter(campaign=campaign, participant__isnull=True,
                                           edit__user__in=[name for name, *_rest in DEMO_PARTICIPANTS]).exists()
    assert aggregates.drift(campaign) == []

    response = client.get(f"/campaigns/{demo.DEMO_SLUG}/")
    content = response.content.decode()
    assert response.context["totals"].participants == len(DEMO_PARTICIPANTS)
    assert "Live tracking is not running on this site" in content and "Tracking has not started" not in content
    board = {row.name for row in response.context["board_people"]}
    assert "Jytdog" in board and "D. Biddulph (demo)" in board and None in board  # username, display name, anonymous
    assert "Zchen16" not in content and "Ian.thomson" not in content  # the anonymous ones are never named


@pytest.mark.parametrize(("today", "season", "first", "after"), [
    ("2026-12-04", "Spring 2027", "2027-03-01", "2027-04-01"),
    ("2027-02-28", "Spring 2027", "2027-03-01", "2027-04-01"),
    ("2027-03-01", "Fall 2027", "2027-11-01", "2027-12-01"),
    ("2027-11-01", "Spring 2028", "2028-03-01", "2028-04-01"),
])
def test_the_next_season_is_the_next_spring_or_fall_not_yet_started(today, season, first, after):
    from datetime import date

    from crowdsci.campaigns.page_demo import next_season

    assert next_season(date.fromisoformat(today)) == (season, date.fromisoformat(first), date.fromisoformat(after))


def test_the_demo_announces_the_next_campaign_with_its_live_session_and_the_home_page_shows_it(client):
    from django.utils import timezone

    from crowdsci.campaigns.page_demo import load_demo_upcoming_campaign, next_season
    from crowdsci.catalog.demo import load_demo_catalog
    from crowdsci.network.demo import load_demo_network

    load_demo_network()
    load_demo_catalog()
    upcoming = load_demo_upcoming_campaign()
    assert load_demo_upcoming_campaign() == upcoming and Campaign.objects.count() == 1, "loaded twice: one campaign"
    season, _first, _after = next_season(timezone.localdate())
    assert upcoming.name == f"#CiteNLM {season}" and upcoming.start > timezone.now()
    page = upcoming.page
    assert page.live_session_start.weekday() == 2 and upcoming.start < page.live_session_start < upcoming.end
    assert page.organizers_guide is not None and page.organizers_guide.title.startswith("Hosting a #CiteNLM")
    home = client.get("/").content.decode()
    assert upcoming.name in home


def test_the_demo_credits_its_edits_itself_and_leaves_no_crediting_task_for_a_worker(
    django_capture_on_commit_callbacks, settings
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    with django_capture_on_commit_callbacks(execute=True):
        demo.load_demo_campaign()
    assert TrackedEdit.objects.exists()
    assert not DBTaskResult.objects.filter(task_path__endswith="credit_edits").exists()
