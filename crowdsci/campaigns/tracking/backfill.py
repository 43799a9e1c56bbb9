"""Backfill: the registered participants' contributions during the period, fetched through the Action API and put
through the same matching and storing as the stream. Stored edits are unique, so an interrupted backfill run again
duplicates nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from crowdsci.campaigns.models import Campaign, TrackedEdit
from crowdsci.campaigns.services.edits import EditCandidate, edits_store
from crowdsci.campaigns.tracking import crediting
from crowdsci.campaigns.tracking.matching import EditFacts, load_rules
from crowdsci.wikimedia import ActionApiClient

BATCH = 200


@dataclass
class BackfillProgress:
    done: int
    total: int
    contributions: int
    stored: int


def backfill(
    campaign: Campaign,
    *,
    clients: dict[str, ActionApiClient] | None = None,
    progress: Callable[[BackfillProgress], None] | None = None,
) -> BackfillProgress:
    rules = load_rules()
    participants = list(campaign.participants.order_by("wikipedia_username"))
    work = [(wiki, participant) for participant in participants for wiki in campaign.wikis]
    state = BackfillProgress(done=0, total=len(work), contributions=0, stored=0)
    end_limit = min(campaign.end, timezone.now())
    owned: dict[str, ActionApiClient] = {}
    try:
        for wiki, participant in work:
            client = (clients or {}).get(wiki) or owned.get(wiki)
            if client is None:
                client = owned[wiki] = crediting.api_client(wiki)
            start = max(campaign.start, participant.joined) if campaign.credits_all_participant_edits else (
                campaign.start
            )
            end = min(end_limit, participant.left) if participant.left else end_limit
            batch: list[EditCandidate] = []
            if start < end:
                for contribution in client.user_contributions(participant.wikipedia_username, start, end):
                    state.contributions += 1
                    facts = EditFacts(
                        wiki=wiki, type="new" if contribution.new else "edit", namespace=contribution.namespace,
                        revid=contribution.revid, user=contribution.user, bot=False,
                        timestamp=contribution.timestamp, comment=contribution.comment or "",
                    )
                    matches = rules.match(facts)
                    if matches:
                        batch.append(EditCandidate(
                            wiki=wiki, revid=contribution.revid, parent_revid=contribution.parentid or None,
                            page_title=contribution.title, namespace=contribution.namespace, user=contribution.user,
                            timestamp=contribution.timestamp, summary=contribution.comment or "",
                            is_new_page=contribution.new, matches=tuple(matches),
                        ))
                    if len(batch) >= BATCH:
                        state.stored += len(edits_store(candidates=batch, source=TrackedEdit.Source.BACKFILL)
                                            .new_edit_ids)
                        batch = []
            if batch:
                state.stored += len(edits_store(candidates=batch, source=TrackedEdit.Source.BACKFILL).new_edit_ids)
            state.done += 1
            if progress is not None:
                progress(state)
    finally:
        for client in owned.values():
            client.close()
    return state
