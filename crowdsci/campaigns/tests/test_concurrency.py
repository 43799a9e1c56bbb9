"""Races on PostgreSQL: workers crediting the same edit, or different edits of one campaign, at the same moment
never lose or double an aggregate figure."""

from __future__ import annotations

import pytest

from crowdsci.campaigns.models import CampaignAggregate, TrackedEdit
from crowdsci.campaigns.services.edits import Credit, EditCandidate, edit_credit, edits_store
from crowdsci.campaigns.tracking import aggregates
from crowdsci.campaigns.tracking.matching import Match
from crowdsci.core.testing import database_is_postgresql, run_concurrently

from .conftest import IN_PERIOD, make_campaign, next_revid

pytestmark = pytest.mark.django_db(transaction=True)
CREDIT = Credit(2, 1, 0, 1, {"pubmed": 1}, {"pmid": 1}, 40)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if not database_is_postgresql():
        pytest.skip("SQLite serializes writers: the race needs PostgreSQL")


def store(campaign, count: int) -> list[int]:
    candidates = [
        EditCandidate(wiki="enwiki", revid=next_revid(), parent_revid=1, page_title=f"Page {i % 3}", namespace=0,
                      user=f"User {i % 4}", timestamp=IN_PERIOD, summary="#CiteNLM", is_new_page=False,
                      matches=(Match(campaign.pk, "hashtag", None),))
        for i in range(count)
    ]
    return edits_store(candidates=candidates, enqueue_crediting=False).new_edit_ids


def test_two_workers_crediting_one_edit_count_it_once():
    campaign = make_campaign()
    [edit_id] = store(campaign, 1)
    outcomes = run_concurrently(lambda _i: edit_credit(edit_id=edit_id, credit=CREDIT), 4)
    assert [outcome.error for outcome in outcomes] == [None] * 4
    total = CampaignAggregate.objects.get(campaign=campaign, kind="total")
    assert (total.edits, total.citations_added) == (1, 2)
    assert TrackedEdit.objects.get(pk=edit_id).status == "credited"


def test_workers_crediting_different_edits_of_one_campaign_lose_nothing():
    campaign = make_campaign()
    ids = store(campaign, 8)
    outcomes = run_concurrently(lambda i: edit_credit(edit_id=ids[i], credit=CREDIT), 8)
    assert [outcome.error for outcome in outcomes] == [None] * 8
    total = CampaignAggregate.objects.get(campaign=campaign, kind="total")
    assert (total.edits, total.citations_added, total.bytes_changed) == (8, 16, 320)
    assert aggregates.drift(campaign) == []
