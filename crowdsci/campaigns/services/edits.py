"""Writes of tracked edits: storing matched edits (with the stream position), crediting, and the status changes
(reverted, hidden, failed). Each is one durable transaction; the aggregates change in the same transaction.

Storing and crediting are the tracker's high-volume writes and leave no audit row (the edit row itself says when
it was stored and credited); the status changes people ask about (reverted, hidden, failed) are audited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import models, transaction
from django.utils import timezone

from crowdsci.campaigns.models import CampaignEdit, StreamConsumer, TrackedEdit
from crowdsci.campaigns.tracking import aggregates
from crowdsci.campaigns.tracking.matching import Match
from crowdsci.core.audit import audit_record
from crowdsci.core.locking import lock_row, lock_rows

Status = TrackedEdit.Status
CREDIT_BATCH = 50  # edits per crediting task: one Action API request for the revisions, one for their parents


@dataclass(frozen=True)
class EditCandidate:
    """A matched edit ready to store: the revision's facts and the campaigns it matched."""

    wiki: str
    revid: int
    parent_revid: int | None
    page_title: str
    namespace: int
    user: str
    timestamp: datetime
    summary: str
    is_new_page: bool
    matches: tuple[Match, ...]


@dataclass
class ConsumerProgress:
    """What a stream batch moves on: the position to resume from and the health counters (increments)."""

    name: str
    last_event_id: str
    last_event_time: datetime | None
    events_read: int = 0
    events_malformed: int = 0
    reconnections: int = 0
    stream_url: str = ""


@dataclass
class StoreResult:
    new_edit_ids: list[int] = field(default_factory=list)
    links_added: int = 0


@dataclass(frozen=True)
class Credit:
    """What the citation engine found in one edit."""

    citations_added: int
    citations_removed: int
    citations_enriched: int
    nlm_citations_added: int
    nlm_by_source: dict[str, int]
    identifiers_added: dict[str, int]
    bytes_changed: int
    # The first TrackedEdit.CITATIONS_KEPT added citations ({"source", "ids"}); None when not known.
    added_citations: list[dict] | None = None


@transaction.atomic(durable=True)
def edits_store(
    *,
    candidates: Iterable[EditCandidate],
    source: str = TrackedEdit.Source.STREAM,
    progress: ConsumerProgress | None = None,
    enqueue_crediting: bool = True,
) -> StoreResult:
    """Store matched edits once each (unique on wiki + revision id) and link them to their campaigns, and move the
    stream position on, all in one transaction: after a crash, either the whole batch and its position are stored
    or neither is, so a restart from the stored position loses nothing and stores nothing twice.

    A link added to an edit already credited (a second campaign, a backfill) adds its figures at once.
    """
    by_key: dict[tuple[str, int], EditCandidate] = {}
    for candidate in candidates:
        if candidate.matches:
            by_key.setdefault((candidate.wiki, candidate.revid), candidate)
    result = StoreResult()
    if by_key:
        _store(by_key, source, result)
    if progress is not None:
        _progress_save(progress, matched=len(by_key))
    if enqueue_crediting and result.new_edit_ids:
        credit_enqueue_on_commit(result.new_edit_ids)
    return result


def _store(by_key: dict[tuple[str, int], EditCandidate], source: str, result: StoreResult) -> None:
    wanted = models.Q()
    for wiki in {wiki for wiki, _revid in by_key}:
        wanted |= models.Q(wiki=wiki, revid__in=[revid for w, revid in by_key if w == wiki])
    # Edits already stored are locked before links are added to them, so a crediting transaction (which locks the
    # edit, then reads its links) either sees a new link or runs after this one and is seen here as credited.
    existing = {(edit.wiki, edit.revid): edit for edit in lock_rows(TrackedEdit.objects.filter(wanted))}
    new_rows = [
        TrackedEdit(
            wiki=c.wiki, revid=c.revid, parent_revid=c.parent_revid, page_title=c.page_title[:512],
            namespace=c.namespace, user=c.user[:255], timestamp=c.timestamp, summary=c.summary,
            is_new_page=c.is_new_page, source=source,
        )
        for key, c in by_key.items()
        if key not in existing
    ]
    TrackedEdit.objects.bulk_create(new_rows, ignore_conflicts=True)
    edits = {(edit.wiki, edit.revid): edit for edit in TrackedEdit.objects.filter(wanted)}
    result.new_edit_ids = sorted(edit.pk for key, edit in edits.items() if key not in existing)
    known_links = set(
        CampaignEdit.objects.filter(edit__in=[edit.pk for edit in edits.values()]).values_list("campaign_id", "edit_id")
    )
    links: list[CampaignEdit] = []
    for key, candidate in by_key.items():
        edit = edits[key]
        for match in candidate.matches:
            if (match.campaign_id, edit.pk) in known_links:
                continue
            registration = match.registration
            links.append(
                CampaignEdit(
                    campaign_id=match.campaign_id, edit=edit, matched_by=match.matched_by,
                    participant_id=registration.participant_id if registration else None,
                    organization_id=registration.organization_id if registration else None,
                    region_id=registration.region_id if registration else None,
                )
            )
    CampaignEdit.objects.bulk_create(links, ignore_conflicts=True)
    result.links_added = len(links)
    deltas: dict[int, aggregates.Contribution] = {}
    for link in links:
        if link.edit.status != Status.PENDING:
            aggregates.add_into(deltas.setdefault(link.campaign_id, {}), aggregates.contribution(link.edit, link))
    aggregates.apply_many(deltas)


def _progress_save(progress: ConsumerProgress, *, matched: int) -> None:
    now = timezone.now()
    lag = (now - progress.last_event_time).total_seconds() if progress.last_event_time else None
    updated = StreamConsumer.objects.filter(name=progress.name).update(
        last_event_id=progress.last_event_id,
        last_event_time=progress.last_event_time,
        last_seen_at=now,
        heartbeat_at=now,
        lag_seconds=lag,
        events_read=models.F("events_read") + progress.events_read,
        events_matched=models.F("events_matched") + matched,
        events_malformed=models.F("events_malformed") + progress.events_malformed,
        reconnections=models.F("reconnections") + progress.reconnections,
    )
    if not updated:
        StreamConsumer.objects.create(
            name=progress.name, stream_url=progress.stream_url, last_event_id=progress.last_event_id,
            last_event_time=progress.last_event_time, last_seen_at=now, heartbeat_at=now, lag_seconds=lag,
            events_read=progress.events_read, events_matched=matched, events_malformed=progress.events_malformed,
            reconnections=progress.reconnections, started_at=now,
        )


def credit_enqueue_on_commit(edit_ids: list[int], *, run_after: datetime | None = None) -> None:
    """Queue crediting of these edits once the current transaction commits, CREDIT_BATCH edits a task."""
    from crowdsci.campaigns.tasks import credit_edits

    ids = sorted(edit_ids)

    task = credit_edits
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # refresh_edits sweeps pending edits whose next attempt is due
        task = task.using(run_after=run_after)

    def enqueue() -> None:
        for start in range(0, len(ids), CREDIT_BATCH):
            task.enqueue(edit_ids=ids[start : start + CREDIT_BATCH])

    transaction.on_commit(enqueue)


# --- one edit's changes ---------------------------------------------------------------------------------------


def _edit_change(edit_id: int, change: Callable[[TrackedEdit], bool]) -> TrackedEdit:
    """Lock the edit, apply ``change`` (which says whether it changed anything), save it and move the aggregates
    of every campaign it counts in by the difference."""
    edit = lock_row(TrackedEdit, edit_id)
    links = list(CampaignEdit.objects.filter(edit=edit).order_by("pk"))
    before = [aggregates.contribution(edit, link) for link in links]
    if not change(edit):
        return edit
    edit.save()
    deltas: dict[int, aggregates.Contribution] = {}
    for link, old in zip(links, before, strict=True):
        aggregates.add_into(deltas.setdefault(link.campaign_id, {}), aggregates.subtract(
            aggregates.contribution(edit, link), old))
    aggregates.apply_many(deltas)
    return edit


@transaction.atomic(durable=True)
def edit_credit(*, edit_id: int, credit: Credit, reverted: bool = False) -> TrackedEdit:
    """Store an edit's credit: ``credited`` (or ``reverted`` if its revision is tagged mw-reverted). Crediting the
    same edit again with the same figures changes nothing; a hidden edit stays hidden."""

    def change(edit: TrackedEdit) -> bool:
        if edit.status == Status.HIDDEN:
            return False
        status = Status.REVERTED if reverted or edit.status == Status.REVERTED else Status.CREDITED
        figures = {
            "citations_added": credit.citations_added,
            "citations_removed": credit.citations_removed,
            "citations_enriched": credit.citations_enriched,
            "nlm_citations_added": credit.nlm_citations_added,
            "nlm_by_source": dict(sorted(credit.nlm_by_source.items())),
            "identifiers_added": dict(sorted(credit.identifiers_added.items())),
            "bytes_changed": credit.bytes_changed,
            "added_citations": credit.added_citations,
        }
        if edit.status == status and all(getattr(edit, name) == value for name, value in figures.items()):
            return False
        for name, value in figures.items():
            setattr(edit, name, value)
        edit.status = status
        edit.status_reason = "tagged mw-reverted" if status == Status.REVERTED else ""
        edit.credited_at = edit.checked_at = timezone.now()
        edit.next_attempt_at = None
        return True

    return _edit_change(edit_id, change)


@transaction.atomic(durable=True)
def edit_citations_fill(*, edit_id: int, added_citations: list[dict]) -> bool:
    """Store the list of citations an edit credited before the list was kept added (its figures, and so the
    aggregates, stay as they are). Only an edit with a credit and no list yet; says whether it stored it."""
    edit = lock_row(TrackedEdit, edit_id)
    if edit.added_citations is not None or edit.citations_added is None:
        return False
    edit.added_citations = added_citations
    edit.save(update_fields=["added_citations"])
    return True


@transaction.atomic(durable=True)
def edit_mark_reverted(*, edit_id: int, reason: str = "tagged mw-reverted") -> TrackedEdit:
    """The edit was reverted: it keeps its credit, shown but outside the totals, and is counted apart."""

    def change(edit: TrackedEdit) -> bool:
        if edit.status != Status.CREDITED:
            return False
        edit.status, edit.status_reason, edit.checked_at = Status.REVERTED, reason, timezone.now()
        return True

    edit = _edit_change(edit_id, change)
    if edit.status == Status.REVERTED:
        audit_record(actor=None, action="edit.reverted", obj=edit, reason=reason)
    return edit


@transaction.atomic(durable=True)
def edit_mark_hidden(*, edit_id: int, reason: str) -> TrackedEdit:
    """The revision was deleted or suppressed: ``hidden``, its credit unknown if it had none yet (not zero)."""

    def change(edit: TrackedEdit) -> bool:
        if edit.status == Status.HIDDEN:
            return False
        edit.status, edit.status_reason, edit.checked_at = Status.HIDDEN, reason, timezone.now()
        edit.next_attempt_at = None
        return True

    before = TrackedEdit.objects.filter(pk=edit_id).values_list("status", flat=True).first()
    edit = _edit_change(edit_id, change)
    if before != Status.HIDDEN:
        audit_record(actor=None, action="edit.hidden", obj=edit, reason=reason)
    return edit


@transaction.atomic(durable=True)
def edit_attempt_failed(*, edit_id: int, reason: str, max_attempts: int, retry_at: datetime) -> TrackedEdit:
    """A crediting attempt failed (API error, timeout, 429): the edit stays ``pending`` for a retry at
    ``retry_at``, or after ``max_attempts`` becomes ``failed`` with the reason. Nothing else of it changes."""
    edit = lock_row(TrackedEdit, edit_id)
    if edit.status not in (Status.PENDING, Status.FAILED):
        return edit  # credited meanwhile by another attempt: nothing failed
    edit.attempts += 1
    edit.status_reason = reason[:2000]
    if edit.attempts >= max_attempts:
        edit.status, edit.next_attempt_at = Status.FAILED, None
        audit_record(actor=None, action="edit.failed", obj=edit, reason=edit.status_reason)
    else:
        edit.next_attempt_at = retry_at
    edit.save(update_fields=["attempts", "status_reason", "status", "next_attempt_at"])
    return edit


@transaction.atomic(durable=True)
def edits_retry(*, edit_ids: Iterable[int]) -> list[int]:
    """Put failed edits back to ``pending`` (attempts from zero) and queue their crediting; returns their ids."""
    ids = list(
        TrackedEdit.objects.filter(pk__in=list(edit_ids), status=Status.FAILED).values_list("pk", flat=True)
    )
    if ids:
        TrackedEdit.objects.filter(pk__in=ids, status=Status.FAILED).update(
            status=Status.PENDING, attempts=0, next_attempt_at=None
        )
        credit_enqueue_on_commit(ids)
    return ids
