"""The network roll-up: the figures across all campaigns, an edit that counted for several campaigns once."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from crowdsci.campaigns.models import Campaign, CampaignEdit, NetworkRollup, TrackedEdit
from crowdsci.network.models import Region


def _figures(edits) -> dict:
    row = edits.aggregate(edits=Count("id"), editors=Count("user", distinct=True),
                          citations_added=Sum("citations_added"), nlm_citations_added=Sum("nlm_citations_added"))
    return {name: value or 0 for name, value in row.items()}


@transaction.atomic(durable=True)
def network_rollup_refresh() -> int:
    """Recompute every roll-up row from the edits (each edit once: EXISTS a counted link, not a join)."""
    now = timezone.now()
    counted = TrackedEdit.objects.filter(status=TrackedEdit.Status.CREDITED).filter(
        Exists(CampaignEdit.objects.filter(edit=OuterRef("pk"), counted=True))
    )
    rows = [NetworkRollup(scope=NetworkRollup.Scope.TOTAL, key="", campaigns=Campaign.objects.count(),
                          computed_at=now, **_figures(counted))]
    years = (
        counted.annotate(year=ExtractYear("timestamp")).values("year")
        .annotate(edits=Count("id"), editors=Count("user", distinct=True), citations_added=Sum("citations_added"),
                  nlm_citations_added=Sum("nlm_citations_added")).order_by("year")
    )
    campaigns_by_year: dict[int, int] = {}
    for campaign in Campaign.objects.only("start"):
        campaigns_by_year[campaign.start.year] = campaigns_by_year.get(campaign.start.year, 0) + 1
    for year in years:
        rows.append(NetworkRollup(
            scope=NetworkRollup.Scope.YEAR, key=str(year["year"]), campaigns=campaigns_by_year.get(year["year"], 0),
            edits=year["edits"], editors=year["editors"], citations_added=year["citations_added"] or 0,
            nlm_citations_added=year["nlm_citations_added"] or 0, computed_at=now,
        ))
    for region in Region.objects.order_by("number"):
        in_region = TrackedEdit.objects.filter(status=TrackedEdit.Status.CREDITED).filter(
            Exists(CampaignEdit.objects.filter(edit=OuterRef("pk"), counted=True, region=region))
        )
        rows.append(NetworkRollup(scope=NetworkRollup.Scope.REGION, key=str(region.number), computed_at=now,
                                  **_figures(in_region)))
    NetworkRollup.objects.all().delete()
    NetworkRollup.objects.bulk_create(rows)
    return len(rows)


def campaign_counts_compute(campaign: Campaign) -> dict[str, int]:
    """Participants registered now, editors with a counted edit, articles with one: read from the aggregates."""
    from crowdsci.campaigns.models import CampaignAggregate, Participant

    aggregates = CampaignAggregate.objects.filter(campaign=campaign, edits__gt=0)
    return {
        "participants": Participant.objects.filter(campaign=campaign, left__isnull=True).count(),
        "editors": aggregates.filter(kind=CampaignAggregate.Kind.USER).count(),
        "articles_improved": aggregates.filter(kind=CampaignAggregate.Kind.ARTICLE).count(),
    }


def campaign_counts_refresh(*, recent_days: int = 30) -> int:
    """Recount the campaigns running now, upcoming, or ended in the last ``recent_days`` days (and any never
    counted); each in its own short transaction. Returns how many were counted."""
    from datetime import timedelta

    from django.db.models import Q

    from crowdsci.campaigns.models import CampaignCounts

    now = timezone.now()
    campaigns = Campaign.objects.filter(Q(end__gte=now - timedelta(days=recent_days)) | Q(counts__isnull=True))
    done = 0
    for campaign in campaigns:
        figures = campaign_counts_compute(campaign)
        with transaction.atomic(durable=True):
            CampaignCounts.objects.update_or_create(campaign=campaign, defaults={**figures, "computed_at": now})
        done += 1
    return done
