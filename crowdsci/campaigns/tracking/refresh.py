"""What ``refresh_edits`` does: re-check tracked edits for reverts and hidden revisions, retry failed edits, and
credit pending edits whose crediting is due (a retry after backoff, or a task lost in a crash)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from crowdsci.campaigns.models import Campaign, TrackedEdit
from crowdsci.campaigns.services.edits import edits_retry
from crowdsci.campaigns.tracking import crediting

Status = TrackedEdit.Status
RECENTLY_ENDED = timedelta(days=30)
# A pending edit with no retry planned is normally credited within seconds; one still pending after this long lost
# its task (a worker crash between dequeue and commit) and is credited by the sweep.
LOST_TASK_AFTER = timedelta(minutes=10)


@dataclass
class RefreshOutcome:
    campaigns: list[str] = field(default_factory=list)
    checked: int = 0
    reverted: int = 0
    hidden: int = 0
    retried_failed: int = 0
    credited_due: int = 0
    errors: list[str] = field(default_factory=list)


def campaigns_to_refresh(slug: str | None = None) -> QuerySet[Campaign]:
    """With a slug, that campaign; otherwise those running now or ended in the last 30 days."""
    if slug is not None:
        return Campaign.objects.filter(slug=slug)
    now = timezone.now()
    return Campaign.objects.filter(start__lte=now, end__gte=now - RECENTLY_ENDED)


def refresh(campaigns: QuerySet[Campaign], *, clients=None) -> RefreshOutcome:
    outcome = RefreshOutcome(campaigns=list(campaigns.values_list("slug", flat=True)))
    edits = TrackedEdit.objects.filter(campaigns__in=campaigns).distinct()
    # 1. Failed edits get a new round of attempts.
    failed = list(edits.filter(status=Status.FAILED).values_list("pk", flat=True))
    if failed:
        outcome.retried_failed = len(edits_retry(edit_ids=failed))
    # 2. Pending edits whose next attempt is due, or whose task was lost.
    now = timezone.now()
    due = list(
        edits.filter(status=Status.PENDING)
        .filter(Q(next_attempt_at__lte=now) | Q(next_attempt_at__isnull=True, stored__lte=now - LOST_TASK_AFTER))
        .values_list("pk", flat=True)
    )
    for start in range(0, len(due), 50):
        report = crediting.credit_edits(due[start : start + 50], clients=clients)
        outcome.credited_due += len(report.credited) + len(report.reverted)
    # 3. Credited and reverted edits: reverted since, or hidden since?
    checked = edits.filter(status__in=[Status.CREDITED, Status.REVERTED]).order_by("wiki", "pk")
    report = crediting.refresh_edits(checked.iterator(chunk_size=500), clients=clients)
    outcome.checked = report.checked
    outcome.reverted = len(report.reverted)
    outcome.hidden = len(report.hidden)
    outcome.errors = report.errors
    return outcome
