"""The campaign list, dashboard, live block, stats.json, articles and participant pages: what they show, what
they hide, and that user text is escaped."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from crowdsci.campaigns.models import Participant, StreamConsumer
from crowdsci.campaigns.services.rollup import network_rollup_refresh
from crowdsci.campaigns.tests.page_factories import make_campaign, make_credited_edit, make_participant
from crowdsci.network.models import RoleAssignment
from crowdsci.network.services import profile_ensure
from crowdsci.network.tests.factories import make_organization, make_user

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>'


def test_the_list_puts_the_current_campaign_first_then_upcoming_then_past(client: Client):
    now = timezone.now()
    make_campaign("fall-past", start=now - timedelta(days=200), end=now - timedelta(days=170), name="Past one")
    make_campaign("spring-next", start=now + timedelta(days=30), end=now + timedelta(days=60), name="Next one")
    make_campaign("running", name="Running one", theme="Healthy Aging")

    content = client.get("/campaigns/").content.decode()

    assert content.index("Running one") < content.index("Next one") < content.index("Past one")
    assert "Healthy Aging" in content


def test_the_dashboard_shows_totals_sources_feed_and_boards_from_the_aggregates(client: Client):
    campaign = make_campaign("spring", name="Spring")
    alice = make_participant(campaign, "Alice Editor")
    make_credited_edit(campaign, user="Alice Editor", title="Aspirin", citations=3, nlm=2,
                       nlm_by_source={"pubmed": 1, "pmc": 1}, participant=alice)
    make_credited_edit(campaign, user="Walk In", title="Ibuprofen", citations=1, nlm=1)
    StreamConsumer.objects.create(name="recentchange", last_seen_at=timezone.now())

    response = client.get("/campaigns/spring/")
    content = response.content.decode()

    assert response.status_code == 200
    totals = response.context["totals"]
    assert (totals.participants, totals.editors, totals.edits, totals.articles_improved) == (1, 2, 2, 2)
    assert (totals.citations_added, totals.nlm_citations_added) == (4, 3)
    assert {key: count for key, _label, count in totals.nlm_by_source}["pmc"] == 1
    assert "Aspirin" in content and "https://en.wikipedia.org/w/index.php?diff=" in content
    assert "Counted: the hashtag is in its summary." in content
    assert "#CiteNLM" in content
    assert "Tracking has been silent" not in content
    assert [row.name for row in response.context["board_people"]] == ["Alice Editor", "Walk In"]


def test_a_silent_tracker_is_a_plain_warning_however_long_ago(client: Client):
    make_campaign("spring")
    StreamConsumer.objects.create(name="recentchange", last_seen_at=timezone.now() - timedelta(days=9))
    content = client.get("/campaigns/spring/").content.decode()
    assert "Tracking has been silent for 1" in content and "the last event it saw was at" in content
    StreamConsumer.objects.all().delete()
    assert "Tracking has not started" in client.get("/campaigns/spring/").content.decode()


def test_edits_loaded_from_history_with_no_live_tracker_are_said_to_be_so(client: Client):
    campaign = make_campaign("spring")
    make_credited_edit(campaign, user="Walk In", source="backfill")

    content = client.get("/campaigns/spring/").content.decode()
    tracker = json.loads(client.get("/campaigns/spring/stats.json").content)["tracker"]

    assert "Live tracking is not running on this site" in content and "loaded from recorded history" in content
    assert "Tracking has not started" not in content
    assert tracker["silent"] is True and tracker["last_event_seen"] is None and tracker["history_loaded_at"]
    StreamConsumer.objects.create(name="recentchange", last_seen_at=timezone.now())
    content = client.get("/campaigns/spring/live/").content.decode()
    assert "Live: the tracker last saw" in content and "recorded history" not in content


def test_the_live_block_is_the_same_numbers_for_htmx(client: Client):
    campaign = make_campaign("spring")
    make_credited_edit(campaign, user="Walk In", citations=5, nlm=4)
    response = client.get("/campaigns/spring/live/", headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="campaign-live"' in content and 'hx-trigger="every 5s"' in content
    assert '<dd id="total-nlm">4</dd>' in content
    assert "<html" not in content


def test_stats_json_has_the_numbers_the_page_shows(client: Client):
    campaign = make_campaign("spring")
    make_credited_edit(campaign, user="Walk In", citations=5, nlm=4, timestamp=timezone.now() - timedelta(hours=1))
    page = client.get("/campaigns/spring/").context["totals"]

    data = json.loads(client.get("/campaigns/spring/stats.json").content)

    assert data["totals"] == page.as_json()
    assert data["totals"]["nlm_citations_added"] == 4
    assert sum(point["edits"] for point in data["series"]["daily"]) == 1


def test_reverted_edits_count_apart_not_in_the_totals(client: Client):
    campaign = make_campaign("spring")
    make_credited_edit(campaign, user="Walk In", citations=5, nlm=4)
    make_credited_edit(campaign, user="Walk In", citations=7, nlm=7, status="reverted")
    totals = client.get("/campaigns/spring/").context["totals"]
    assert (totals.edits, totals.nlm_citations_added, totals.reverted_edits) == (1, 4, 1)


def test_anonymous_and_display_name_participants_are_shown_as_they_chose_everywhere(client: Client):
    campaign = make_campaign("spring")
    hidden_user = make_user("hidden")
    hidden = make_participant(campaign, "Secret Editor", user=hidden_user, display=Participant.Display.ANONYMOUS)
    named_user = make_user("named")
    profile = profile_ensure(user=named_user)
    profile.display_name = "Dr. Named"
    profile.save()
    named = make_participant(campaign, "Named Username", user=named_user, display=Participant.Display.DISPLAY_NAME)
    make_credited_edit(campaign, user="Secret Editor", participant=hidden, nlm=5)
    make_credited_edit(campaign, user="Named Username", participant=named, nlm=3)

    outputs = [
        client.get("/campaigns/spring/").content.decode(),
        client.get("/campaigns/spring/live/").content.decode(),
        client.get("/campaigns/spring/stats.json").content.decode(),
        b"".join(client.get("/campaigns/spring/edits.csv").streaming_content).decode(),
        b"".join(client.get("/campaigns/spring/participants.csv").streaming_content).decode(),
    ]
    for output in outputs:
        assert "Secret Editor" not in output
        assert "Named Username" not in output
    assert "Dr. Named" in outputs[0] and "Anonymous participant" in outputs[0]
    assert client.get(f"/campaigns/spring/participants/{hidden.pk}/").status_code == 404
    assert client.get(f"/campaigns/spring/participants/{named.pk}/").status_code == 200

    client.force_login(hidden_user)
    assert client.get(f"/campaigns/spring/participants/{hidden.pk}/").status_code == 200
    staff = make_user("staffer", role=RoleAssignment.Role.STAFF)
    client.force_login(staff)
    staff_csv = b"".join(client.get("/campaigns/spring/participants.csv").streaming_content).decode()
    assert "Secret Editor" in staff_csv


def test_usernames_titles_and_summaries_holding_html_are_escaped(client: Client):
    campaign = make_campaign("spring", name=f"Spring {HOSTILE}", theme=HOSTILE, description=HOSTILE)
    person = make_participant(campaign, f"Evil{HOSTILE}".replace("/", "").replace("<", "‹").replace(">", "›"))
    make_credited_edit(campaign, user=f"Editor {HOSTILE}", title=f"Title {HOSTILE}", summary=HOSTILE)
    make_credited_edit(campaign, user=person.wikipedia_username, participant=person, title="Plain")

    pages = [client.get(url).content.decode() for url in (
        "/campaigns/", "/campaigns/spring/", "/campaigns/spring/live/", "/campaigns/spring/articles/",
        f"/campaigns/spring/participants/{person.pk}/",
    )]
    for page in pages:
        assert HOSTILE not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in pages[1]
    rows = list(csv.reader(io.StringIO(
        b"".join(client.get("/campaigns/spring/edits.csv").streaming_content).decode())))
    assert rows[0][:3] == ["wiki", "revid", "parent_revid"] and rows[0][15] == "diff_url"
    assert any(row[14] == HOSTILE for row in rows[1:])  # the summary as written, in a cell, not run


def test_the_articles_page_and_csv_list_improved_articles(client: Client):
    campaign = make_campaign("spring")
    make_credited_edit(campaign, user="A", title="Aspirin", nlm=2)
    make_credited_edit(campaign, user="B", title="Aspirin", nlm=1)
    make_credited_edit(campaign, user="B", title="Zinc", nlm=0)
    page = client.get("/campaigns/spring/articles/")
    assert [title for _row, _wiki, title, _views in page.context["rows"]] == ["Aspirin", "Zinc"]
    rows = list(csv.reader(io.StringIO(
        b"".join(client.get("/campaigns/spring/articles.csv").streaming_content).decode())))
    assert rows[1][:2] == ["enwiki", "Aspirin"] and rows[1][3] == "2" and rows[1][5] == "3"


def test_an_article_created_in_the_campaign_counts_on_the_dashboard_json_table_and_csv(client: Client):
    campaign = make_campaign("spring")
    make_credited_edit(campaign, user="A", title="Brand new page", nlm=2, is_new_page=True)
    make_credited_edit(campaign, user="B", title="Brand new page", nlm=1)
    make_credited_edit(campaign, user="B", title="Aspirin", nlm=1)
    make_credited_edit(campaign, user="C", title="Undone page", nlm=0, is_new_page=True, status="reverted")

    response = client.get("/campaigns/spring/")
    data = json.loads(client.get("/campaigns/spring/stats.json").content)
    table = client.get("/campaigns/spring/articles/")
    rows = list(csv.DictReader(io.StringIO(
        b"".join(client.get("/campaigns/spring/articles.csv").streaming_content).decode())))

    assert (response.context["totals"].articles_created, response.context["totals"].articles_improved) == (1, 2)
    assert '<dd id="total-articles-created">1</dd>' in response.content.decode()
    assert data["totals"]["articles_created"] == 1
    assert {title: row.articles_created for row, _wiki, title, _views in table.context["rows"]} == {
        "Brand new page": 1, "Aspirin": 0, "Undone page": 0}
    assert {row["title"]: row["created"] for row in rows} == {"Brand new page": "1", "Aspirin": "0",
                                                              "Undone page": "0"}


def test_the_participant_page_lists_their_edits_with_diffs(client: Client):
    campaign = make_campaign("spring")
    person = make_participant(campaign, "Alice Editor", organization=make_organization("Alice Library"))
    edit = make_credited_edit(campaign, user="Alice Editor", participant=person, title="Aspirin", nlm=2)
    content = client.get(f"/campaigns/spring/participants/{person.pk}/").content.decode()
    assert f"diff={edit.revid}" in content and "Aspirin" in content and "Alice Library" in content


def test_the_network_rollup_counts_an_edit_of_two_campaigns_once(client: Client):
    first = make_campaign("first")
    second = make_campaign("second")
    edit = make_credited_edit(first, user="Both", nlm=2, citations=2)
    from crowdsci.campaigns.services.edits import EditCandidate, edits_store
    from crowdsci.campaigns.tests.page_factories import _match
    from crowdsci.campaigns.tracking.matching import Match

    edits_store(candidates=[EditCandidate(
        wiki=edit.wiki, revid=edit.revid, parent_revid=edit.parent_revid, page_title=edit.page_title, namespace=0,
        user=edit.user, timestamp=edit.timestamp, summary=edit.summary, is_new_page=False,
        matches=(_match(Match, second, None),))], enqueue_crediting=False)
    make_credited_edit(second, user="Other", nlm=1, citations=1)
    network_rollup_refresh()

    rollup = client.get("/campaigns/").context["rollup"]
    assert (rollup.total.edits, rollup.total.nlm_citations_added, rollup.total.campaigns) == (2, 3, 2)
    assert client.get("/campaigns/first/").context["totals"].edits == 1
    assert client.get("/campaigns/second/").context["totals"].edits == 2


def test_the_edits_csv_has_the_trackers_columns_one_row_per_edit(client: Client):
    campaign = make_campaign("spring")
    edit = make_credited_edit(campaign, user="Walk In", title="Aspirin", citations=3, nlm=2,
                              nlm_by_source={"pubmed": 2})
    rows = list(csv.reader(io.StringIO(
        b"".join(client.get("/campaigns/spring/edits.csv").streaming_content).decode())))
    assert rows[0] == ["wiki", "revid", "parent_revid", "page_title", "namespace", "user", "timestamp", "status",
                       "citations_added", "citations_removed", "citations_enriched", "nlm_citations_added",
                       "nlm_by_source", "bytes_changed", "summary", "diff_url", "added_citations"]
    assert rows[1] == ["enwiki", str(edit.revid), str(edit.parent_revid), "Aspirin", "0", "Walk In",
                       edit.timestamp.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "credited", "3", "0", "0", "2",
                       json.dumps({"pubmed": 2}), "120", "cite #CiteNLM",
                       f"https://en.wikipedia.org/w/index.php?diff={edit.revid}", ""]


def test_counts_are_read_from_the_stored_counts_once_computed(client: Client):
    from crowdsci.campaigns.models import CampaignCounts
    from crowdsci.campaigns.services.rollup import campaign_counts_refresh

    campaign = make_campaign("spring")
    make_participant(campaign, "Alice")
    make_credited_edit(campaign, user="Alice", title="Aspirin")
    assert client.get("/campaigns/spring/").context["totals"].participants == 1  # counted live, never stored yet
    assert campaign_counts_refresh() == 1
    assert CampaignCounts.objects.get(campaign=campaign).editors == 1
    make_participant(campaign, "Bob")
    make_credited_edit(campaign, user="Bob", title="Zinc")
    totals = client.get("/campaigns/spring/").context["totals"]
    assert (totals.participants, totals.editors, totals.edits) == (1, 1, 2)  # counts a minute old, sums live
    campaign_counts_refresh()
    totals = client.get("/campaigns/spring/").context["totals"]
    assert (totals.participants, totals.editors, totals.articles_improved) == (2, 2, 2)


def test_the_dashboard_links_the_organizers_guide(client: Client):
    from crowdsci.campaigns.services.pages import campaign_page_update
    from crowdsci.catalog.tests.factories import make_guide

    campaign = make_campaign("spring", name="Spring")
    guide = make_guide("Hosting an edit-a-thon")
    campaign_page_update(
        actor=make_user("staffer", role=RoleAssignment.Role.STAFF), campaign=campaign, live_session_start=None,
        live_session_end=None, live_session_url="", organizers_guide=guide, show_map=True, show_leaderboards=True,
    )
    response = client.get("/campaigns/spring/")
    assert response.status_code == 200
    assert f'href="{guide.get_absolute_url()}"' in response.content.decode()
