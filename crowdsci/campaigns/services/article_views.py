"""Views since edit: for each article a campaign improved, its page views since the campaign's first credited edit
of it, read from the pageviews API (the client the worklists use), stored per article with its freshness and
summed into one row per campaign that the dashboard reads.

The pageviews API counts whole UTC days, and today's count is not complete until tomorrow: an article counts from
the day of the campaign's first credited edit of it through yesterday. Wikipedia is read before any transaction
opens; the writes that follow are short. Views are figures, not decisions, so refreshes are not audited.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.db.models import Count, F, Min, Sum
from django.utils import timezone

from crowdsci.campaigns import wiki
from crowdsci.campaigns.models import ArticleViews, Campaign, CampaignAggregate, CampaignViews, TrackedEdit
from crowdsci.wikimedia.errors import WikimediaError

REFRESH_BATCH = 200
STALE_AFTER = timedelta(hours=6)  # the API adds one day a day; a few readings a day keep "as of" recent
MAX_ERROR = 500


def _first_credited_edits(campaign: Campaign, wiki_name: str, titles: list[str]) -> dict[str, datetime]:
    """The campaign's first counted, credited edit of each title (the (wiki, page_title, timestamp) index)."""
    rows = (
        TrackedEdit.objects.filter(
            wiki=wiki_name, page_title__in=titles, status=TrackedEdit.Status.CREDITED,
            campaign_links__campaign=campaign, campaign_links__counted=True,
        )
        .values("page_title")
        .annotate(first=Min("timestamp"))
        .values_list("page_title", "first")
    )
    return dict(rows)


def _by_wiki(keys) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for key in keys:
        wiki_name, _sep, title = key.partition(":")
        grouped.setdefault(wiki_name, []).append(title)
    return grouped


def article_views_track(*, campaign: Campaign) -> int:
    """A row for each article the campaign improved that has none yet (its views unread); returns how many."""
    improved = set(
        CampaignAggregate.objects.filter(campaign=campaign, kind=CampaignAggregate.Kind.ARTICLE, edits__gt=0)
        .values_list("key", flat=True)
    )
    known = {row.key for row in ArticleViews.objects.filter(campaign=campaign).only("wiki", "title")}
    new: list[ArticleViews] = []
    for wiki_name, titles in _by_wiki(sorted(improved - known)).items():
        for start in range(0, len(titles), REFRESH_BATCH):
            batch = titles[start:start + REFRESH_BATCH]
            for title, first in _first_credited_edits(campaign, wiki_name, batch).items():
                new.append(ArticleViews(campaign=campaign, wiki=wiki_name, title=title, first_edit_at=first))
    with transaction.atomic(durable=True):
        # Two refreshes at once create the same rows; the second's are ignored.
        ArticleViews.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def article_views_refresh(*, campaign: Campaign, limit: int = REFRESH_BATCH, today: date | None = None,
                          now: datetime | None = None) -> int:
    """Read the views of up to ``limit`` of the campaign's articles (never read first, then the least recently
    read, those read in the last ``STALE_AFTER`` skipped), then store the campaign's sum. Returns how many were
    read. A failure is stored on the rows (their previous figures kept), never raised."""
    now = now or timezone.now()
    today = today or now.astimezone(UTC).date()
    through = today - timedelta(days=1)
    article_views_track(campaign=campaign)
    due = list(
        ArticleViews.objects.filter(campaign=campaign)
        .exclude(refreshed_at__gt=now - STALE_AFTER)
        .order_by(F("refreshed_at").asc(nulls_first=True), "id")[:limit]
    )
    read = 0
    for wiki_name in sorted({row.wiki for row in due}):
        group = [row for row in due if row.wiki == wiki_name]
        firsts = _first_credited_edits(campaign, wiki_name, [row.title for row in group])
        gone = [row.pk for row in group if row.title not in firsts]  # every edit since reverted or hidden
        group = [row for row in group if row.title in firsts]
        starts = {row.title: firsts[row.title].astimezone(UTC).date() for row in group}
        error = ""
        views: dict[str, int] = {}
        try:
            if group:
                with wiki.pageviews_client() as client:
                    views = client.total_views_since(wiki.pageviews_project(wiki_name), starts, through)
        except WikimediaError as failure:
            error = f"{type(failure).__name__}: {failure}"[:MAX_ERROR]
        with transaction.atomic(durable=True):
            ArticleViews.objects.filter(pk__in=gone).delete()
            for row in group:
                if error:
                    ArticleViews.objects.filter(pk=row.pk).update(refresh_error=error)
                    continue
                ArticleViews.objects.filter(pk=row.pk).update(
                    first_edit_at=firsts[row.title], views=views[row.title], views_through=through,
                    refreshed_at=now, refresh_error="",
                )
                read += 1
    campaign_views_sum(campaign=campaign, now=now)
    return read


@transaction.atomic(durable=True)
def campaign_views_sum(*, campaign: Campaign, now: datetime | None = None) -> CampaignViews:
    """Store the sum of the campaign's article views (one pass over its article rows, off the dashboard)."""
    rows = ArticleViews.objects.filter(campaign=campaign)
    read = rows.filter(views__isnull=False).aggregate(views=Sum("views"), articles=Count("id"),
                                                      as_of=Min("refreshed_at"))
    total, _created = CampaignViews.objects.update_or_create(campaign=campaign, defaults={
        "views": read["views"] or 0, "articles": read["articles"],
        "articles_unread": rows.filter(views__isnull=True).count(), "as_of": read["as_of"],
        "computed_at": now or timezone.now(),
    })
    return total
