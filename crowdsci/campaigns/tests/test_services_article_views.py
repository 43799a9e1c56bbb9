"""Views since edit: each improved article's page views from the day of the campaign's first credited edit of it
through yesterday, read from the local fake pageviews server, stored per article with its freshness, summed into
one row the dashboard, stats.json, the articles table and CSV read; a failure is stored, never raised."""

from __future__ import annotations

import csv
import io
import json
import socket
from datetime import UTC, date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from crowdsci.campaigns.models import ArticleViews, CampaignViews
from crowdsci.campaigns.page_tasks import article_views_refresh_due
from crowdsci.campaigns.services.article_views import article_views_refresh
from crowdsci.campaigns.services.edits import edit_mark_reverted
from crowdsci.campaigns.tests.page_factories import make_campaign, make_credited_edit
from crowdsci.wikimedia.fake import synthetic_daily_views

pytestmark = pytest.mark.django_db


def views_between(title: str, first: date, last: date) -> int:
    days = (last - first).days + 1
    return sum(synthetic_daily_views(title.replace(" ", "_"), first + timedelta(days=n)) for n in range(days))


def test_views_count_from_the_first_credited_edit_day_through_yesterday(fake_wikimedia):
    now = timezone.now()
    today, yesterday = now.astimezone(UTC).date(), now.astimezone(UTC).date() - timedelta(days=1)
    campaign = make_campaign("spring")
    first = now - timedelta(days=5)
    make_credited_edit(campaign, user="A", title="Toronto", timestamp=first)
    make_credited_edit(campaign, user="B", title="Toronto", timestamp=now - timedelta(days=2))
    make_credited_edit(campaign, user="B", title="Chemical biology", timestamp=now - timedelta(minutes=30))
    make_credited_edit(campaign, user="C", title="AC/DC", timestamp=first, status="reverted")  # not improved

    assert article_views_refresh(campaign=campaign, now=now) == 2

    toronto = ArticleViews.objects.get(campaign=campaign, title="Toronto")
    assert toronto.first_edit_at == first
    assert toronto.views == views_between("Toronto", first.astimezone(UTC).date(), yesterday) > 0
    assert (toronto.views_through, toronto.refreshed_at, toronto.refresh_error) == (yesterday, now, "")
    fresh = ArticleViews.objects.get(campaign=campaign, title="Chemical biology")
    assert fresh.views == (views_between("Chemical biology", today, yesterday) if fresh.first_edit_at.astimezone(
        UTC).date() < today else 0)  # edited today: no whole day yet
    assert not ArticleViews.objects.filter(title="AC/DC").exists()
    assert "AC_DC" not in fake_wikimedia.pageview_requests
    total = CampaignViews.objects.get(campaign=campaign)
    assert (total.views, total.articles, total.articles_unread, total.as_of) == (
        toronto.views + fresh.views, 2, 0, now)


def test_the_dashboard_json_table_and_csv_show_the_stored_views_with_their_freshness(fake_wikimedia):
    campaign = make_campaign("spring")
    make_credited_edit(campaign, user="A", title="Toronto", timestamp=timezone.now() - timedelta(days=3))
    client = Client()
    before = client.get("/campaigns/spring/")
    assert before.context["totals"].views_since_edit is None
    assert "not read yet" in before.content.decode()

    article_views_refresh(campaign=campaign)
    stored = ArticleViews.objects.get(campaign=campaign)

    response = client.get("/campaigns/spring/")
    content = response.content.decode()
    data = json.loads(client.get("/campaigns/spring/stats.json").content)
    table = client.get("/campaigns/spring/articles/")
    rows = list(csv.DictReader(io.StringIO(
        b"".join(client.get("/campaigns/spring/articles.csv").streaming_content).decode())))

    assert response.context["totals"].views_since_edit == stored.views > 0
    assert f"{stored.views:,}" in content and "views-as-of" in content
    assert data["totals"]["views_since_edit"] == stored.views
    assert data["totals"]["views_since_edit_as_of"] == stored.refreshed_at.isoformat()
    [(_row, _wiki, _title, views)] = table.context["rows"]
    assert views == stored and f"{stored.views:,}" in table.content.decode()
    assert rows[0]["views_since_edit"] == str(stored.views)
    assert rows[0]["views_as_of"] == stored.refreshed_at.isoformat()


def test_fresh_readings_are_not_read_again_and_a_reverted_first_edit_moves_the_start(fake_wikimedia):
    now = timezone.now()
    campaign = make_campaign("spring")
    first = make_credited_edit(campaign, user="A", title="Toronto", timestamp=now - timedelta(days=6))
    second = now - timedelta(days=3)
    make_credited_edit(campaign, user="B", title="Toronto", timestamp=second)
    article_views_refresh(campaign=campaign, now=now)
    requests = len(fake_wikimedia.pageview_requests)

    assert article_views_refresh(campaign=campaign, now=now + timedelta(hours=1)) == 0
    assert len(fake_wikimedia.pageview_requests) == requests

    edit_mark_reverted(edit_id=first.pk)
    later = now + timedelta(hours=7)
    assert article_views_refresh(campaign=campaign, now=later) == 1
    toronto = ArticleViews.objects.get(campaign=campaign)
    assert toronto.first_edit_at == second
    assert toronto.views == views_between("Toronto", second.astimezone(UTC).date(),
                                          later.astimezone(UTC).date() - timedelta(days=1))


def test_an_article_whose_every_edit_was_reverted_leaves_the_sum(fake_wikimedia):
    now = timezone.now()
    campaign = make_campaign("spring")
    edit = make_credited_edit(campaign, user="A", title="Toronto", timestamp=now - timedelta(days=4))
    make_credited_edit(campaign, user="A", title="Chemical biology", timestamp=now - timedelta(days=4))
    article_views_refresh(campaign=campaign, now=now)
    edit_mark_reverted(edit_id=edit.pk)

    article_views_refresh(campaign=campaign, now=now + timedelta(hours=7))

    assert list(ArticleViews.objects.filter(campaign=campaign).values_list("title", flat=True)) == [
        "Chemical biology"]
    total = CampaignViews.objects.get(campaign=campaign)
    assert (total.articles, total.views) == (1, ArticleViews.objects.get(campaign=campaign).views)


def test_a_failure_is_stored_on_the_rows_and_the_old_figures_kept(wikimedia_unreachable):
    now = timezone.now()
    campaign = make_campaign("spring")
    make_credited_edit(campaign, user="A", title="Toronto", timestamp=now - timedelta(days=4))

    assert article_views_refresh(campaign=campaign, now=now) == 0

    row = ArticleViews.objects.get(campaign=campaign)
    assert row.views is None and row.refreshed_at is None and row.refresh_error
    total = CampaignViews.objects.get(campaign=campaign)
    assert (total.articles, total.articles_unread, total.as_of) == (0, 1, None)
    assert Client().get("/campaigns/spring/").context["totals"].views_since_edit is None


def test_the_scheduled_task_follows_campaigns_until_90_days_after_their_end(fake_wikimedia):
    now = timezone.now()
    running = make_campaign("running")
    ended = make_campaign("ended-long-ago", start=now - timedelta(days=200), end=now - timedelta(days=100))
    upcoming = make_campaign("upcoming", start=now + timedelta(days=5), end=now + timedelta(days=30))
    make_credited_edit(running, user="A", title="Toronto", timestamp=now - timedelta(days=2))
    make_credited_edit(ended, user="A", title="Toronto", timestamp=now - timedelta(days=150))

    article_views_refresh_due.enqueue()

    assert set(ArticleViews.objects.values_list("campaign__slug", flat=True)) == {"running"}
    assert not CampaignViews.objects.filter(campaign__in=[ended, upcoming]).exists()


def test_articles_not_read_yet_are_named_beside_the_sum(fake_wikimedia, settings):
    now = timezone.now()
    campaign = make_campaign("spring")
    make_credited_edit(campaign, user="A", title="Toronto", timestamp=now - timedelta(days=4))
    article_views_refresh(campaign=campaign, now=now)
    make_credited_edit(campaign, user="B", title="Chemical biology", timestamp=now - timedelta(days=2))
    with socket.socket() as probe:  # a closed port: the next reading fails at once
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.WIKIMEDIA_PAGEVIEWS_URL = f"http://127.0.0.1:{port}/api/rest_v1"

    article_views_refresh(campaign=campaign, now=now + timedelta(minutes=30))

    total = CampaignViews.objects.get(campaign=campaign)
    assert (total.articles, total.articles_unread, total.as_of) == (1, 1, now)
    content = Client().get("/campaigns/spring/").content.decode()
    assert "1 article not read yet" in content


def test_the_dashboards_queries_do_not_grow_with_edits_or_articles(fake_wikimedia):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    now = timezone.now()
    small, large = make_campaign("small"), make_campaign("large")
    make_credited_edit(small, user="A", title="Toronto", timestamp=now - timedelta(days=3), is_new_page=True)
    for number in range(12):
        make_credited_edit(large, user=f"Editor {number % 4}", title=f"Page {number % 6}",
                           timestamp=now - timedelta(days=3, minutes=number), is_new_page=number < 6)
    for campaign in (small, large):
        article_views_refresh(campaign=campaign, now=now)

    def queries(slug: str, path: str) -> int:
        client = Client()
        client.get(f"/campaigns/{slug}{path}")  # warm: sessions, content types, translations
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/campaigns/{slug}{path}").status_code == 200
        return len(captured)

    for path in ("/", "/live/", "/stats.json"):
        assert queries("large", path) == queries("small", path), path
