"""Factories for the campaign pages' tests: campaigns, participants and credited edits through the tracker's own
services (so the aggregates the pages read are the ones the tracker keeps), and a fake article with markers."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from crowdsci.campaigns.models import Campaign, Participant, TrackedEdit
from crowdsci.campaigns.services.campaigns import campaign_create, participant_join
from crowdsci.network.tests.factories import make_user

_sequence = itertools.count(1)
_revids = itertools.count(5_000_000)

MARKED_TITLE = "Crowdsci marked article"
MARKED_REVID = 910000001
MARKED_TEXT = """'''Crowdsci marked article''' is a made-up page.<ref>{{cite journal |pmid=123456 |title=A}}</ref>

== Treatment ==
Most patients recover within a week.{{citation needed|date=May 2024}} Some need more care.

== History ==
It was first described in 1900.{{cn}}
"""


def add_fake_article(data) -> None:
    """A synthetic page with two citation-needed markers in two sections (the recordings have none)."""
    page = {"pageid": 910000000, "ns": 0, "title": MARKED_TITLE}
    data.revisions[MARKED_REVID] = {
        "revid": MARKED_REVID, "parentid": 0, "user": "Example", "timestamp": "2024-06-01T12:00:00Z",
        "size": len(MARKED_TEXT.encode()), "sha1": "0" * 40, "comment": "made up", "tags": [],
        "slots": {"main": {"contentmodel": "wikitext", "contentformat": "text/x-wiki", "content": MARKED_TEXT}},
    }
    data.revision_pages[MARKED_REVID] = page
    data.pages[MARKED_TITLE] = {**page, "contentmodel": "wikitext", "pagelanguage": "en",
                                "touched": "2024-06-01T12:00:00Z", "lastrevid": MARKED_REVID,
                                "length": len(MARKED_TEXT.encode())}
    data.pageview_articles.add(MARKED_TITLE)


def make_campaign(slug: str | None = None, *, start: datetime | None = None, end: datetime | None = None,
                  hashtag: str = "CiteNLM", **fields) -> Campaign:
    now = timezone.now()
    slug = slug or f"campaign-{next(_sequence)}"
    return campaign_create(
        actor=None, name=fields.pop("name", slug.replace("-", " ").title()), slug=slug, hashtags=[hashtag],
        start=start or now - timedelta(days=10), end=end or now + timedelta(days=20), **fields,
    )


def make_participant(campaign: Campaign, username: str | None = None, *, user: AbstractBaseUser | None = None,
                     display: str = Participant.Display.USERNAME, organization=None,
                     joined: datetime | None = None) -> Participant:
    username = username or f"Editor {next(_sequence)}"
    user = user or make_user()
    return participant_join(campaign=campaign, user=user, wikipedia_username=username, display=display,
                            organization=organization, at=joined or campaign.start)


def make_credited_edit(
    campaign: Campaign, *, user: str, title: str = "Aspirin", summary: str = "cite #CiteNLM",
    timestamp: datetime | None = None, citations: int = 2, nlm: int = 1, nlm_by_source: dict | None = None,
    status: str = TrackedEdit.Status.CREDITED, participant: Participant | None = None, is_new_page: bool = False,
    added_citations: list[dict] | None = None,
    source: str = TrackedEdit.Source.STREAM,
) -> TrackedEdit:
    """A tagged edit stored and credited through the tracker's services (aggregates included)."""
    from crowdsci.campaigns.services.edits import Credit, EditCandidate, edit_credit, edits_store
    from crowdsci.campaigns.tracking.matching import Match

    revid = next(_revids)
    moment = timestamp or timezone.now() - timedelta(minutes=5)
    match = _match(Match, campaign, participant)
    edits_store(candidates=[EditCandidate(
        wiki="enwiki", revid=revid, parent_revid=revid - 1, page_title=title, namespace=0, user=user,
        timestamp=moment, summary=summary, is_new_page=is_new_page, matches=(match,),
    )], source=source, enqueue_crediting=False)
    edit = TrackedEdit.objects.get(wiki="enwiki", revid=revid)
    edit_credit(edit_id=edit.pk, credit=Credit(
        citations_added=citations, citations_removed=0, citations_enriched=0, nlm_citations_added=nlm,
        nlm_by_source=nlm_by_source or ({"pubmed": nlm} if nlm else {}), identifiers_added={"pmid": nlm},
        bytes_changed=120, added_citations=added_citations,
    ), reverted=status == TrackedEdit.Status.REVERTED)
    return TrackedEdit.objects.get(pk=edit.pk)


def _match(match_class, campaign: Campaign, participant: Participant | None):
    from crowdsci.campaigns.tracking.matching import Registration

    registration = None
    if participant is not None:
        organization = participant.organization
        registration = Registration(
            participant_id=participant.pk, joined=participant.joined, left=participant.left,
            organization_id=organization.pk if organization else None,
            region_id=organization.jurisdiction.region_id if organization else None,
        )
    return match_class(campaign_id=campaign.pk, matched_by="hashtag", registration=registration)
