"""Background work of the campaign pages (django-tasks): each task takes ids and only calls services.

The tracker's tasks are in ``tasks.py``; these are the pages' own, declared to the scheduler by
``CampaignsConfig.page_scheduled_jobs``.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from crowdsci.campaigns.models import Campaign, WorklistArticle
from crowdsci.campaigns.services import article_views, registration, rollup, worklists

REFRESH_BATCH = 50
STALE_AFTER_HOURS = 6
# Views since edit keep growing after a campaign ends; organizers report them for a season afterwards.
VIEWS_FOLLOWED_FOR = timedelta(days=90)


@task()
def worklist_articles_refresh_task(article_ids: list[int]) -> int:
    return worklists.worklist_articles_refresh(article_ids=article_ids)


@task()
def worklists_refresh_due() -> int:
    """Read again the articles of running and upcoming campaigns not read for a few hours (oldest first)."""
    now = timezone.now()
    due = list(
        WorklistArticle.objects.filter(worklist__campaign__end__gt=now)
        .exclude(refreshed_at__gt=now - timedelta(hours=STALE_AFTER_HOURS))
        .order_by("refreshed_at", "id")
        .values_list("id", flat=True)[:REFRESH_BATCH * 4]
    )
    refreshed = 0
    for start in range(0, len(due), REFRESH_BATCH):
        refreshed += worklists.worklist_articles_refresh(article_ids=due[start:start + REFRESH_BATCH])
    return refreshed


@task()
def usernames_recheck() -> int:
    return registration.usernames_recheck()


@task()
def network_rollup_refresh() -> int:
    return rollup.network_rollup_refresh()


@task()
def campaign_counts_refresh() -> int:
    return rollup.campaign_counts_refresh()


@task()
def article_views_refresh_due() -> int:
    """Views since edit of the articles improved by campaigns that have started and ended less than 90 days ago
    (a batch per campaign, the least recently read first)."""
    now = timezone.now()
    campaigns = Campaign.objects.filter(start__lte=now, end__gt=now - VIEWS_FOLLOWED_FOR).order_by("end", "id")
    return sum(article_views.article_views_refresh(campaign=campaign, now=now) for campaign in campaigns)
