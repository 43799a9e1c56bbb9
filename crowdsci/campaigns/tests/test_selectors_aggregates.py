"""The dashboards' reads come from the stored aggregates and agree with what was credited."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crowdsci.campaigns.selectors import aggregates as reads
from crowdsci.campaigns.services.campaigns import participant_join
from crowdsci.campaigns.services.edits import Credit, EditCandidate, edit_credit, edit_mark_reverted, edits_store
from crowdsci.campaigns.tracking.matching import EditFacts, load_rules
from crowdsci.network.tests.factories import make_organization, make_user

from .conftest import IN_PERIOD, START, make_campaign, next_revid

pytestmark = pytest.mark.django_db


def credited(campaign, user: str, title: str, credit: Credit, moment=IN_PERIOD) -> int:
    facts = EditFacts(wiki="enwiki", type="edit", namespace=0, revid=next_revid(), user=user, bot=False,
                      timestamp=moment, comment="#CiteNLM")
    candidate = EditCandidate(wiki="enwiki", revid=facts.revid, parent_revid=1, page_title=title, namespace=0,
                              user=user, timestamp=moment, summary="#CiteNLM", is_new_page=False,
                              matches=tuple(load_rules().match(facts)))
    [edit_id] = edits_store(candidates=[candidate], enqueue_crediting=False).new_edit_ids
    edit_credit(edit_id=edit_id, credit=credit)
    return edit_id


def test_totals_series_leaderboards_and_breakdowns():
    campaign = make_campaign()
    organization = make_organization(state="TX")
    participant_join(campaign=campaign, user=make_user("ann"), wikipedia_username="Ann", organization=organization,
                     at=START)
    credited(campaign, "Ann", "Aspirin", Credit(3, 0, 1, 2, {"pubmed": 2}, {"pmid": 2}, 300))
    credited(campaign, "Ann", "Ibuprofen", Credit(1, 0, 0, 1, {"medlineplus": 1}, {"url": 1}, 50),
             IN_PERIOD + timedelta(days=1))
    bob = credited(campaign, "Bob", "Aspirin", Credit(5, 1, 0, 0, {}, {"doi": 5}, 900))
    edit_mark_reverted(edit_id=bob)

    totals = reads.campaign_totals(campaign)
    assert (totals.edits, totals.citations_added, totals.nlm_citations_added, totals.reverted_edits) == (2, 4, 3, 1)
    assert [(row.key, row.citations_added) for row in reads.campaign_series(campaign)] == [
        ("2026-03-10", 3), ("2026-03-11", 1)]
    assert [row.key for row in reads.campaign_series(campaign, granularity="hour")] == [
        "2026-03-10T12", "2026-03-11T12"]
    board = reads.campaign_leaderboard(campaign)
    assert [(row.key, row.citations_added, row.reverted_edits) for row in board] == [("Ann", 4, 0), ("Bob", 0, 1)]
    assert [row.key for row in reads.campaign_articles(campaign)] == ["enwiki:Aspirin", "enwiki:Ibuprofen"]
    assert [(row.key, row.edits) for row in reads.campaign_organizations(campaign)] == [(str(organization.pk), 2)]
    assert [row.key for row in reads.campaign_regions(campaign)] == [str(organization.jurisdiction.region_id)]
    assert reads.campaign_nlm_sources(campaign) == {"pubmed": 2, "medlineplus": 1}
    assert reads.campaign_identifiers(campaign) == {"pmid": 2, "url": 1}
    with pytest.raises(ValueError):
        reads.campaign_leaderboard(campaign, order="summary")


def test_an_empty_campaign_reads_zeros():
    campaign = make_campaign()
    assert reads.campaign_totals(campaign).edits == 0
    assert reads.campaign_leaderboard(campaign) == []
