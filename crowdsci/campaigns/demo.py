"""Demo data: a #CiteNLM campaign whose edits are the real CRISPR revision history, tracked through the real
pipeline (recorded events replayed, credited against the local fake Action API serving the real texts).

What is changed from the real history, and why (also in ``demo_data/SOURCES.md``): the timestamps are shifted
into the demo campaign's period, keeping their order and relative gaps; ``#CiteNLM`` is appended to every second
summary; revisions undone by a later "Undid revision N", "Reverted to revision N" or rollback-style summary carry
the ``mw-reverted`` tag, as MediaWiki would have tagged them. Users, summaries and content are the real ones.
"""

from __future__ import annotations

import json
import logging
import lzma
import re
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from crowdsci.wikimedia.fake import FakeData, RecordedEvent

logger = logging.getLogger(__name__)

DEMO_DATA = Path(__file__).resolve().parent / "demo_data" / "crispr_enwiki.jsonl.xz"
DEMO_SLUG = "citenlm-fall-2026"
DEMO_START = datetime(2026, 11, 1, tzinfo=UTC)
DEMO_END = datetime(2026, 12, 1, tzinfo=UTC)
PAGE = {"pageid": 2146034, "ns": 0, "title": "CRISPR"}
TOPIC = "eqiad.mediawiki.recentchange"
TAG_EVERY = 2

_UNDID = re.compile(r"Undid revision (\d+)")
_REVERTED_TO = re.compile(r"Reverted to revision (\d+)")
_ROLLBACK = re.compile(r"^(Reverting possible vandalism|Reverted edits by|Reverted undiscussed|rv\b|Undid block)", re.I)


@cache
def history() -> tuple[dict[str, Any], ...]:
    """The real CRISPR revisions kept for the demo, oldest first (the first is only the parent of the second)."""
    with lzma.open(DEMO_DATA, "rt", encoding="utf-8") as stream:
        return tuple(json.loads(line) for line in stream if line.strip())


def reverted_revids(revisions: tuple[dict[str, Any], ...]) -> set[int]:
    order = [revision["revid"] for revision in revisions]
    reverted: set[int] = set()
    for revision in revisions:
        comment = revision["comment"]
        if match := _UNDID.search(comment):
            reverted.add(int(match.group(1)))
        elif match := _REVERTED_TO.search(comment):
            target, parent = int(match.group(1)), revision["parentid"]
            if target in order and parent in order:
                reverted.update(order[order.index(target) + 1 : order.index(parent) + 1])
        elif _ROLLBACK.search(comment) and revision["parentid"]:
            reverted.add(revision["parentid"])
    return reverted


def _shift(moments: list[datetime], start: datetime, end: datetime) -> list[datetime]:
    """Map the moments into [start + 1 day, end - 1 day], keeping order and proportions (whole seconds)."""
    first, last = moments[0], moments[-1]
    span = (last - first).total_seconds() or 1.0
    target = (end - start - timedelta(days=2)).total_seconds()
    return [
        start + timedelta(days=1, seconds=int((moment - first).total_seconds() / span * target)) for moment in moments
    ]


def _parse(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def recentchange_events(
    revisions: tuple[dict[str, Any], ...] | None = None,
    *,
    start: datetime = DEMO_START,
    end: datetime = DEMO_END,
    tag_every: int = TAG_EVERY,
    first_offset: int = 1,
) -> list[dict[str, Any]]:
    """recentchange-shaped events (as EventStreams sends them) for every revision but the first."""
    revisions = revisions or history()
    moments = _shift([_parse(r["timestamp"]) for r in revisions], start, end)
    sizes = {r["revid"]: r["size"] for r in revisions}
    events = []
    for index, (revision, moment) in enumerate(zip(revisions, moments, strict=True)):
        if index == 0:
            continue
        comment = revision["comment"]
        if index % tag_every == 0:
            comment = f"{comment} #CiteNLM".strip()
        offset = first_offset + index - 1
        user = revision["user"]
        events.append({
            "$schema": "/mediawiki/recentchange/1.0.0",
            "meta": {
                "uri": "https://en.wikipedia.org/wiki/CRISPR", "request_id": f"demo-{revision['revid']}",
                "id": f"demo-{revision['revid']}", "dt": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "domain": "en.wikipedia.org", "stream": "mediawiki.recentchange", "topic": TOPIC,
                "partition": 0, "offset": offset,
            },
            "id": 1_000_000 + offset, "type": "edit", "namespace": 0, "title": PAGE["title"],
            "title_url": "https://en.wikipedia.org/wiki/CRISPR", "comment": comment, "parsedcomment": comment,
            "timestamp": int(moment.timestamp()), "user": user, "bot": user == "ClueBot NG",
            "minor": revision["minor"], "patrolled": False,
            "length": {"old": sizes.get(revision["parentid"]), "new": revision["size"]},
            "revision": {"old": revision["parentid"], "new": revision["revid"]},
            "server_url": "https://en.wikipedia.org", "server_name": "en.wikipedia.org",
            "server_script_path": "/w", "wiki": "enwiki",
        })
    return events


def fake_data(
    events: list[dict[str, Any]] | None = None, revisions: tuple[dict[str, Any], ...] | None = None
) -> FakeData:
    """What the local fake serves for the demo: the events on its stream, the real texts on its Action API."""
    revisions = revisions or history()
    events = events if events is not None else recentchange_events(revisions)
    reverted = reverted_revids(revisions)
    data = FakeData()
    for event in events:
        raw = json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()
        meta = event["meta"]
        data.events.append(RecordedEvent(raw, meta["topic"], meta["partition"], meta["offset"],
                                         int(event["timestamp"]) * 1000))
    for revision in revisions:
        data.revisions[revision["revid"]] = {
            "revid": revision["revid"], "parentid": revision["parentid"], "user": revision["user"],
            "timestamp": revision["timestamp"], "size": revision["size"], "sha1": revision["sha1"],
            "comment": revision["comment"], "tags": ["mw-reverted"] if revision["revid"] in reverted else [],
            "slots": {"main": {"contentmodel": "wikitext", "contentformat": "text/x-wiki",
                               "content": revision["text"]}},
        }
        data.revision_pages[revision["revid"]] = PAGE
    return data


def load_demo_campaign() -> None:
    """Create the demo campaign (once) and track its edits through the pipeline; running it again adds nothing."""
    from crowdsci.campaigns.models import Campaign, TrackedEdit
    from crowdsci.campaigns.services.campaigns import campaign_create
    from crowdsci.campaigns.tracking import crediting
    from crowdsci.campaigns.tracking.ingest import recorded_changes, replay
    from crowdsci.wikimedia import ActionApiClient, RetryPolicy
    from crowdsci.wikimedia.fake import FakeWikimedia

    campaign = Campaign.objects.filter(slug=DEMO_SLUG).first()
    if campaign is None:
        campaign = campaign_create(
            actor=None, name="#CiteNLM Fall 2026", slug=DEMO_SLUG, theme="Genetics and genomic medicine",
            description="Add citations to NLM sources (PubMed, PMC, MedlinePlus, NCBI Bookshelf) to articles on "
                        "genetics and genome editing, and tag each edit summary with #CiteNLM.",
            hashtags=["CiteNLM"], start=DEMO_START, end=DEMO_END,
        )
    # Registered before the edits are replayed, so each edit is attributed (participant, organization, region)
    # as it matches, as it would have been live.
    from crowdsci.campaigns.page_demo import register_demo_participants

    register_demo_participants(campaign)
    data = fake_data()
    lines = [event.raw for event in data.events]
    # Credited below, against the local fake: no crediting task is left for a worker (it would ask Wikipedia).
    replay(recorded_changes(lines), consumer=None, enqueue_crediting=False)
    pending = list(
        TrackedEdit.objects.filter(campaigns=campaign, status__in=["pending", "failed"]).values_list("pk", flat=True)
    )
    # Edits credited by an older demo load, before the added citations were kept, get their list too.
    without_citations = crediting.citations_missing(campaign.pk)
    if not pending and not without_citations:
        return
    with FakeWikimedia(data) as fake:
        client = ActionApiClient(fake.api_url, user_agent=crediting.user_agent(), retry=RetryPolicy(max_attempts=2))
        try:
            for start in range(0, len(pending), 50):
                crediting.credit_edits(pending[start : start + 50], clients={"enwiki": client})
            crediting.fill_citations(without_citations, clients={"enwiki": client})
        finally:
            client.close()
    logger.info("demo campaign %s: %d edits credited", DEMO_SLUG, len(pending))
