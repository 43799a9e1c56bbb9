"""The stored aggregates always equal a recount from the edits, after any sequence of stores, credits,
re-credits, reverts, hidden revisions, failures, retries and participants leaving (hypothesis), and
``campaign_recount`` says so, or names each figure that drifted."""

from __future__ import annotations

import itertools
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crowdsci.campaigns.models import Campaign, CampaignAggregate, Participant, TrackedEdit
from crowdsci.campaigns.services.campaigns import participant_join, participant_leave
from crowdsci.campaigns.services.edits import (
    Credit,
    EditCandidate,
    edit_attempt_failed,
    edit_credit,
    edit_mark_hidden,
    edit_mark_reverted,
    edits_retry,
    edits_store,
)
from crowdsci.campaigns.tracking import aggregates
from crowdsci.campaigns.tracking.matching import load_rules
from crowdsci.network.tests.factories import make_organization

from .conftest import START, make_campaign

_names = itertools.count(1)
_revids = itertools.count(7_000_000)
USERS = ["Ann", "Ben", "Cy", "Outsider"]

credits = st.builds(
    Credit,
    citations_added=st.integers(0, 9),
    citations_removed=st.integers(0, 5),
    citations_enriched=st.integers(0, 3),
    nlm_citations_added=st.integers(0, 4),
    nlm_by_source=st.dictionaries(st.sampled_from(["pubmed", "pmc", "medlineplus"]), st.integers(0, 3), max_size=2),
    identifiers_added=st.dictionaries(st.sampled_from(["pmid", "doi", "url"]), st.integers(0, 3), max_size=2),
    bytes_changed=st.integers(-5000, 5000),
)
operations = st.one_of(
    st.tuples(st.just("store"), st.sampled_from(USERS), st.integers(0, 29 * 24), st.booleans()),
    st.tuples(st.just("credit"), st.integers(0, 50), credits, st.booleans()),
    st.tuples(st.just("revert"), st.integers(0, 50)),
    st.tuples(st.just("hide"), st.integers(0, 50)),
    st.tuples(st.just("fail"), st.integers(0, 50), st.integers(1, 3)),
    st.tuples(st.just("retry"), st.integers(0, 50)),
    st.tuples(st.just("leave"), st.sampled_from(USERS[:3]), st.integers(0, 29 * 24)),
)


def run(operations_list: list[tuple]) -> Campaign:
    campaign = make_campaign(slug=f"random-{next(_names)}", credit_mode=Campaign.CreditMode.ALL_PARTICIPANT_EDITS)
    organizations = [make_organization(state="MD"), make_organization(state="TX")]
    for index, name in enumerate(USERS[:3]):
        user = get_user_model().objects.create(username=f"u{next(_names)}")  # no password: hashing is slow
        participant_join(campaign=campaign, user=user, wikipedia_username=name,
                         organization=organizations[index % 2], at=START)
    edits: list[int] = []
    for operation in operations_list:
        kind = operation[0]
        if kind == "store":
            _kind, user, hours, tagged = operation
            moment = START + timedelta(hours=hours)
            candidate_rules = load_rules()
            from crowdsci.campaigns.tracking.matching import EditFacts

            facts = EditFacts(wiki="enwiki", type="edit", namespace=0, revid=next(_revids), user=user, bot=False,
                              timestamp=moment, comment="#CiteNLM" if tagged else "copyedit")
            matches = tuple(m for m in candidate_rules.match(facts) if m.campaign_id == campaign.pk)
            result = edits_store(candidates=[EditCandidate(
                wiki="enwiki", revid=facts.revid, parent_revid=None, page_title=f"Page {hours % 5}", namespace=0,
                user=user, timestamp=moment, summary=facts.comment, is_new_page=hours % 7 == 0, matches=matches)],
                enqueue_crediting=False)
            edits.extend(result.new_edit_ids)
        elif not edits and kind != "leave":
            continue
        elif kind == "credit":
            edit_credit(edit_id=edits[operation[1] % len(edits)], credit=operation[2], reverted=operation[3])
        elif kind == "revert":
            edit_mark_reverted(edit_id=edits[operation[1] % len(edits)])
        elif kind == "hide":
            edit_mark_hidden(edit_id=edits[operation[1] % len(edits)], reason="test")
        elif kind == "fail":
            edit_attempt_failed(edit_id=edits[operation[1] % len(edits)], reason="503", max_attempts=operation[2],
                                retry_at=START)
        elif kind == "retry":
            edits_retry(edit_ids=[edits[operation[1] % len(edits)]])
        elif kind == "leave":
            participant = Participant.objects.get(campaign=campaign, wikipedia_username=operation[1])
            if participant.left is None:
                participant_leave(participant=participant, at=START + timedelta(hours=operation[2]))
    return campaign


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(st.lists(operations, min_size=5, max_size=40))
def test_aggregates_equal_a_recount_after_any_sequence(operations_list):
    campaign = run(operations_list)
    assert aggregates.drift(campaign) == []


@pytest.mark.django_db
def test_a_long_fixed_sequence_moves_every_kind_of_figure_and_recounts_clean():
    sequence = [("store", user, hours, tagged) for hours in range(0, 600, 37) for user in USERS
                for tagged in (True, False)]
    sequence += [("credit", i, Credit(2, 1, 1, 1, {"pubmed": 1}, {"pmid": 1}, 100), False) for i in range(40)]
    sequence += [("revert", 3), ("hide", 5), ("leave", "Ann", 300), ("credit", 7, Credit(5, 0, 0, 0, {}, {}, 9), True)]
    campaign = run(sequence)
    kinds = set(CampaignAggregate.objects.filter(campaign=campaign).values_list("kind", flat=True))
    assert kinds == {"total", "day", "hour", "user", "article", "organization", "region", "nlm_source", "identifier"}
    total = CampaignAggregate.objects.get(campaign=campaign, kind="total")
    assert total.edits > 0 and total.reverted_edits == 2 and total.hidden_edits == 1
    assert aggregates.drift(campaign) == []
    out = StringIO()
    call_command("campaign_recount", campaign.slug, stdout=out)
    assert out.getvalue() == "drift: none\n"


@pytest.mark.django_db
def test_recount_names_each_figure_that_drifted_and_exits_1():
    campaign = run([("store", "Ann", 10, True), ("credit", 0, Credit(3, 0, 0, 1, {"pubmed": 1}, {}, 50), False)])
    # Damage the stored figures behind the services' back, as a bug would.
    CampaignAggregate.objects.filter(campaign=campaign, kind="total").update(citations_added=7)
    CampaignAggregate.objects.filter(campaign=campaign, kind="nlm_source", key="pubmed").delete()
    out = StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("campaign_recount", campaign.slug, stdout=out)
    assert exited.value.code == 1
    assert out.getvalue().splitlines() == [
        "drift: nlm_source:pubmed nlm_citations_added: stored 0, recounted 1",
        "drift: total citations_added: stored 7, recounted 3",
    ]


@pytest.mark.django_db
def test_leaving_uncounts_participant_only_edits_and_unattributes_hashtag_edits():
    campaign = run([("store", "Ann", 100, False), ("store", "Ann", 100, True),
                    ("credit", 0, Credit(1, 0, 0, 0, {}, {}, 10), False),
                    ("credit", 1, Credit(2, 0, 0, 0, {}, {}, 20), False)])
    organization_row = CampaignAggregate.objects.get(campaign=campaign, kind="organization")
    assert (organization_row.edits, organization_row.citations_added) == (2, 3)
    participant_leave(participant=Participant.objects.get(campaign=campaign, wikipedia_username="Ann"),
                      at=START + timedelta(hours=50))
    organization_row.refresh_from_db()
    assert (organization_row.edits, organization_row.citations_added) == (0, 0)
    total = CampaignAggregate.objects.get(campaign=campaign, kind="total")
    assert (total.edits, total.citations_added) == (1, 2)  # the hashtag edit still counts
    assert aggregates.drift(campaign) == []
    assert TrackedEdit.objects.filter(campaign_links__campaign=campaign, campaign_links__counted=False).count() == 1


@pytest.mark.django_db
def test_a_credited_page_creation_is_an_article_created_and_a_reverted_one_is_not():
    # Stored at hours 0 and 7 the edits created their pages ("Page 0", "Page 2"); at hour 1 it did not ("Page 1").
    campaign = run([("store", "Ann", 0, True), ("store", "Ben", 7, True), ("store", "Cy", 1, True),
                    ("credit", 0, Credit(1, 0, 0, 0, {}, {}, 900), False),
                    ("credit", 1, Credit(1, 0, 0, 0, {}, {}, 800), True),
                    ("credit", 2, Credit(1, 0, 0, 0, {}, {}, 10), False)])

    def created(kind: str, key: str = "") -> int:
        return CampaignAggregate.objects.get(campaign=campaign, kind=kind, key=key).articles_created

    assert created("total") == 1
    assert (created("article", "enwiki:Page 0"), created("article", "enwiki:Page 2"),
            created("article", "enwiki:Page 1")) == (1, 0, 0)
    assert (created("user", "Ann"), created("user", "Ben"), created("user", "Cy")) == (1, 0, 0)
    assert aggregates.drift(campaign) == []

    # A hidden creation leaves the total too.
    edit_mark_hidden(edit_id=TrackedEdit.objects.get(campaign_links__campaign=campaign, user="Ann").pk, reason="t")
    assert created("total") == 0
    assert aggregates.drift(campaign) == []


@pytest.mark.django_db
def test_the_migration_counts_the_creations_tracked_before_it():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("crowdsci.campaigns.migrations.0005_articles_created")
    campaign = run([("store", "Ann", 0, True), ("store", "Ben", 14, True), ("store", "Cy", 1, True),
                    ("credit", 0, Credit(1, 0, 0, 0, {}, {}, 900), False),
                    ("credit", 1, Credit(1, 0, 0, 0, {}, {}, 800), False),
                    ("credit", 2, Credit(1, 0, 0, 0, {}, {}, 10), False)])
    CampaignAggregate.objects.filter(campaign=campaign).update(articles_created=0)  # as before the field existed
    assert aggregates.drift(campaign) != []

    migration.count_existing_creations(apps, None)

    assert aggregates.drift(campaign) == []
    assert CampaignAggregate.objects.get(campaign=campaign, kind="total").articles_created == 2


def test_recount_of_an_unknown_slug_is_an_error(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No campaign has the slug 'nope'"):
        call_command("campaign_recount", "nope")
