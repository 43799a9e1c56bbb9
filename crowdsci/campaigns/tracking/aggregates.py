"""The stored aggregates: what one matched edit adds to its campaign's figures, applying a change as a delta, and
the recount that recomputes everything from the edits to prove the stored figures right.

Every change of an edit or of its campaign link goes the same way: the link's contribution before, the change,
the contribution after, and ``apply(after - before)`` in the same transaction. So the stored figures always equal
the sum of the contributions of the stored edits, which is exactly what ``recount`` checks.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import models

from crowdsci.campaigns.models import Campaign, CampaignAggregate, CampaignEdit, TrackedEdit

Kind = CampaignAggregate.Kind
Figures = dict[str, int]
Contribution = dict[tuple[str, str], Figures]

Status = TrackedEdit.Status


def contribution(edit: TrackedEdit, link: CampaignEdit) -> Contribution:
    """The figures one matched edit adds to its campaign's aggregates, by (kind, key).

    Nothing for an edit that does not count there or has no credit yet (pending, failed). A credited edit adds
    itself and its figures (and an article created, when it created its page); a reverted or hidden one is counted
    apart (``reverted_edits``/``hidden_edits``), its figures left out of the totals.
    """
    if not link.counted or edit.status in (Status.PENDING, Status.FAILED):
        return {}
    if edit.status == Status.CREDITED:
        figures: Figures = {
            "edits": 1,
            "citations_added": edit.citations_added or 0,
            "citations_removed": edit.citations_removed or 0,
            "citations_enriched": edit.citations_enriched or 0,
            "nlm_citations_added": edit.nlm_citations_added or 0,
            "bytes_changed": edit.bytes_changed or 0,
            "articles_created": 1 if edit.is_new_page else 0,
        }
    elif edit.status == Status.REVERTED:
        figures = {"reverted_edits": 1}
    else:  # hidden
        figures = {"hidden_edits": 1}
    moment = edit.timestamp
    keys = [
        (Kind.TOTAL, ""),
        (Kind.DAY, moment.strftime("%Y-%m-%d")),
        (Kind.HOUR, moment.strftime("%Y-%m-%dT%H")),
        (Kind.USER, edit.user),
        (Kind.ARTICLE, f"{edit.wiki}:{edit.page_title}"),
    ]
    if link.organization_id is not None:
        keys.append((Kind.ORGANIZATION, str(link.organization_id)))
    if link.region_id is not None:
        keys.append((Kind.REGION, str(link.region_id)))
    result: Contribution = {(str(kind), key): dict(figures) for kind, key in keys}
    if edit.status == Status.CREDITED:
        for source, count in (edit.nlm_by_source or {}).items():
            if count:
                result[(str(Kind.NLM_SOURCE), source)] = {"nlm_citations_added": int(count)}
        for identifier_kind, count in (edit.identifiers_added or {}).items():
            if count:
                result[(str(Kind.IDENTIFIER), identifier_kind)] = {"identifiers_added": int(count)}
    return result


def add_into(total: Contribution, part: Contribution, sign: int = 1) -> None:
    for key, figures in part.items():
        row = total.setdefault(key, {})
        for name, value in figures.items():
            row[name] = row.get(name, 0) + sign * value


def subtract(after: Contribution, before: Contribution) -> Contribution:
    delta: Contribution = {}
    add_into(delta, after)
    add_into(delta, before, -1)
    return delta


def apply(campaign_id: int, delta: Contribution) -> None:
    """Add ``delta`` to the stored rows, inside the caller's transaction.

    Rows are created first (ignoring those that exist, so two writers never collide on the insert), then each is
    updated with ``F() + n`` in (kind, key) order: two transactions touching the same rows take their locks in the
    same order and queue instead of deadlocking.
    """
    changes = {
        key: {name: value for name, value in figures.items() if value}
        for key, figures in delta.items()
    }
    changes = {key: figures for key, figures in changes.items() if figures}
    if not changes:
        return
    CampaignAggregate.objects.bulk_create(
        [CampaignAggregate(campaign_id=campaign_id, kind=kind, key=key) for kind, key in sorted(changes)],
        ignore_conflicts=True,
    )
    for (kind, key), figures in sorted(changes.items()):
        CampaignAggregate.objects.filter(campaign_id=campaign_id, kind=kind, key=key).update(
            **{name: models.F(name) + value for name, value in figures.items()}
        )


def apply_many(deltas: dict[int, Contribution]) -> None:
    for campaign_id in sorted(deltas):
        apply(campaign_id, deltas[campaign_id])


# --- recount -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drift:
    kind: str
    key: str
    figure: str
    stored: int
    recounted: int

    def __str__(self) -> str:
        where = f"{self.kind}:{self.key}" if self.key else self.kind
        return f"{where} {self.figure}: stored {self.stored}, recounted {self.recounted}"


def recount(campaign: Campaign) -> Contribution:
    """The campaign's figures computed from its edits alone (reads every edit: a check, not a dashboard read)."""
    total: Contribution = {}
    links = CampaignEdit.objects.filter(campaign=campaign).select_related("edit").order_by("pk")
    for link in links.iterator(chunk_size=2000):
        add_into(total, contribution(link.edit, link))
    return total


def stored(campaign: Campaign) -> Contribution:
    figures = CampaignAggregate.FIGURES
    return {
        (row["kind"], row["key"]): {name: row[name] for name in figures}
        for row in CampaignAggregate.objects.filter(campaign=campaign).values("kind", "key", *figures)
    }


def drift(campaign: Campaign) -> list[Drift]:
    """Every figure where the stored aggregates and a recount disagree (none, when all is well)."""
    expected = recount(campaign)
    actual = stored(campaign)
    found: list[Drift] = []
    for kind, key in sorted(set(expected) | set(actual)):
        want = expected.get((kind, key), {})
        have = actual.get((kind, key), {})
        for name in CampaignAggregate.FIGURES:
            if want.get(name, 0) != have.get(name, 0):
                found.append(Drift(kind, key, name, have.get(name, 0), want.get(name, 0)))
    return found


def rebuild(campaign: Campaign) -> None:
    """Replace the stored figures with a recount (inside the caller's transaction, the campaign's rows locked)."""
    expected = recount(campaign)
    CampaignAggregate.objects.filter(campaign=campaign).delete()
    by_key = defaultdict(dict, expected)
    CampaignAggregate.objects.bulk_create(
        [
            CampaignAggregate(campaign=campaign, kind=kind, key=key, **figures)
            for (kind, key), figures in sorted(by_key.items())
            if any(figures.values())
        ]
    )
