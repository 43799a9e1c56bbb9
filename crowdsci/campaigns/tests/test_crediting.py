"""Crediting against the local fake Action API: the credit itself, idempotence, page creations, reverts and
hidden revisions at first crediting, and API faults that leave edits pending until a later attempt succeeds."""

from __future__ import annotations

import pytest

from crowdsci.campaigns.models import CampaignAggregate, TrackedEdit
from crowdsci.campaigns.services.edits import Credit, EditCandidate, edit_credit, edits_store
from crowdsci.campaigns.tracking import crediting, refresh
from crowdsci.campaigns.tracking.matching import Match
from crowdsci.core.models import AuditEntry

from .conftest import IN_PERIOD, fake_data, make_campaign, next_revid, revision, store_tagged_edit

pytestmark = pytest.mark.django_db

PARENT = "Aspirin is a drug.<ref>{{cite journal |title=Old study |doi=10.1000/old}}</ref>\n"
CHILD = (
    "Aspirin is a drug.<ref>{{cite journal |title=Old study |doi=10.1000/old |pmid=111}}</ref> "
    "It thins blood.<ref>{{cite journal |title=New trial |pmid=222 |doi=10.1000/new}}</ref> "
    "See MedlinePlus.<ref>{{cite web |url=https://medlineplus.gov/aspirin.html |title=Aspirin}}</ref> "
    "And a book.<ref>{{cite book |title=Pharmacology |isbn=978-0-13-110362-7}}</ref>\n"
)
Status = TrackedEdit.Status


@pytest.fixture
def pair(fake_server, tracker_settings):
    parent, child = next_revid(), next_revid()
    fake_server.data = fake_data(revisions=[revision(parent, 0, PARENT), revision(child, parent, CHILD)])
    return parent, child


def totals(campaign) -> dict:
    row = CampaignAggregate.objects.filter(campaign=campaign, kind="total").values().first() or {}
    return {name: row.get(name, 0) for name in CampaignAggregate.FIGURES}


def test_credit_counts_the_citations_the_edit_really_added(pair):
    campaign = make_campaign()
    parent, child = pair
    edit = store_tagged_edit(campaign, child, parent)
    report = crediting.credit_edits([edit.pk])
    assert report.credited == [edit.pk]
    edit.refresh_from_db()
    assert edit.status == Status.CREDITED
    assert (edit.citations_added, edit.citations_removed, edit.citations_enriched) == (3, 0, 1)
    assert edit.nlm_citations_added == 2
    assert edit.nlm_by_source == {"medlineplus": 1, "pubmed": 1}
    assert edit.identifiers_added == {"doi": 1, "isbn": 1, "pmid": 1, "url": 1}
    assert edit.bytes_changed == len(CHILD.encode()) - len(PARENT.encode())
    assert totals(campaign) == {"edits": 1, "citations_added": 3, "citations_removed": 0, "citations_enriched": 1,
                                "nlm_citations_added": 2, "identifiers_added": 0,
                                "bytes_changed": edit.bytes_changed, "reverted_edits": 0, "hidden_edits": 0,
                                "articles_created": 0}
    by_kind = {(row.kind, row.key): row for row in CampaignAggregate.objects.filter(campaign=campaign)}
    assert by_kind[("nlm_source", "pubmed")].nlm_citations_added == 1
    assert by_kind[("identifier", "isbn")].identifiers_added == 1
    assert by_kind[("day", "2026-03-10")].citations_added == 3
    assert by_kind[("hour", "2026-03-10T12")].edits == 1
    assert by_kind[("user", "Alice Editor")].citations_added == 3
    assert by_kind[("article", "enwiki:Aspirin")].edits == 1


def test_crediting_twice_changes_nothing(pair, fake_server):
    campaign = make_campaign()
    parent, child = pair
    edit = store_tagged_edit(campaign, child, parent)
    crediting.credit_edits([edit.pk])
    before = (TrackedEdit.objects.values().get(pk=edit.pk), totals(campaign))
    requests = len(fake_server.requests)
    crediting.credit_edits([edit.pk])  # no longer pending: not even fetched
    assert len(fake_server.requests) == requests
    # The same credit stored again (two workers racing on one edit) changes nothing either.
    again = TrackedEdit.objects.get(pk=edit.pk)
    edit_credit(edit_id=edit.pk, credit=Credit(
        again.citations_added, again.citations_removed, again.citations_enriched, again.nlm_citations_added,
        again.nlm_by_source, again.identifiers_added, again.bytes_changed, again.added_citations))
    assert (TrackedEdit.objects.values().get(pk=edit.pk), totals(campaign)) == before


def test_a_page_creation_is_diffed_against_empty_text(fake_server, tracker_settings):
    campaign = make_campaign()
    revid = next_revid()
    fake_server.data = fake_data(revisions=[revision(revid, 0, CHILD)])
    edit = store_tagged_edit(campaign, revid, None)
    crediting.credit_edits([edit.pk])
    edit.refresh_from_db()
    # pmid=111 makes the first one an NLM citation too
    assert (edit.status, edit.citations_added, edit.nlm_citations_added) == (Status.CREDITED, 4, 3)
    assert edit.bytes_changed == len(CHILD.encode())


def test_an_edit_already_reverted_when_first_credited_is_reverted_at_once(fake_server, tracker_settings):
    campaign = make_campaign()
    parent, child = next_revid(), next_revid()
    fake_server.data = fake_data(revisions=[revision(parent, 0, PARENT),
                                            revision(child, parent, CHILD, tags=["mw-reverted"])])
    edit = store_tagged_edit(campaign, child, parent)
    crediting.credit_edits([edit.pk])
    edit.refresh_from_db()
    assert (edit.status, edit.citations_added) == (Status.REVERTED, 3)  # keeps its credit, outside the totals
    assert totals(campaign)["edits"] == 0
    assert totals(campaign)["citations_added"] == 0
    assert totals(campaign)["reverted_edits"] == 1


def test_a_missing_or_hidden_revision_is_hidden_with_unknown_credit(fake_server, tracker_settings):
    campaign = make_campaign()
    hidden = next_revid()
    text_hidden = revision(hidden, 0, "")
    text_hidden["slots"]["main"] = {"contentmodel": "wikitext", "texthidden": True}
    text_hidden["texthidden"] = True
    fake_server.data = fake_data(revisions=[text_hidden])
    gone = store_tagged_edit(campaign, next_revid(), None)
    secret = store_tagged_edit(campaign, hidden, None)
    crediting.credit_edits([gone.pk, secret.pk])
    for edit in (gone, secret):
        edit.refresh_from_db()
        assert edit.status == Status.HIDDEN
        assert edit.citations_added is None  # unknown, not zero
    assert "no longer exists" in TrackedEdit.objects.get(pk=gone.pk).status_reason
    assert totals(campaign)["hidden_edits"] == 2
    assert AuditEntry.objects.filter(action="edit.hidden").count() == 2


@pytest.mark.parametrize(
    ("fault", "options"),
    [
        ("http_429", {"retry_after": 0}),
        ("maxlag", {"retry_after": 0}),
        ("http_503", {}),
        ("slow", {"delay": 1.0}),  # longer than the client's timeout
        ("malformed_json", {}),
    ],
)
def test_api_faults_leave_the_edit_pending_then_a_later_attempt_credits_it(pair, fake_server, fault, options):
    campaign = make_campaign()
    parent, child = pair
    edit = store_tagged_edit(campaign, child, parent)
    fake_server.faults.queue(fault, target="api", times=2, **options)  # as many as the client's attempts
    report = crediting.credit_edits([edit.pk])
    assert report.retry == [edit.pk]
    edit.refresh_from_db()
    assert (edit.status, edit.attempts, edit.citations_added) == (Status.PENDING, 1, None)
    assert edit.next_attempt_at is not None
    assert edit.status_reason
    assert totals(campaign)["edits"] == 0
    # The retry is due: the scheduler's refresh credits it.
    TrackedEdit.objects.filter(pk=edit.pk).update(next_attempt_at=edit.stored)
    outcome = refresh.refresh(refresh.campaigns_to_refresh(campaign.slug))
    assert outcome.credited_due == 1
    edit.refresh_from_db()
    assert (edit.status, edit.citations_added) == (Status.CREDITED, 3)


def test_after_several_failures_an_edit_is_failed_and_refresh_tries_it_again(pair, fake_server,
                                                                              django_capture_on_commit_callbacks):
    campaign = make_campaign()
    parent, child = pair
    edit = store_tagged_edit(campaign, child, parent)
    for _attempt in range(3):
        fake_server.faults.queue("http_503", target="api", times=2)
        crediting.credit_edits([edit.pk])
    edit.refresh_from_db()
    assert (edit.status, edit.attempts) == (Status.FAILED, 3)
    assert "HTTP 503" in edit.status_reason
    assert AuditEntry.objects.filter(action="edit.failed", object_id=str(edit.pk)).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        outcome = refresh.refresh(refresh.campaigns_to_refresh(campaign.slug))
    assert outcome.retried_failed == 1
    edit.refresh_from_db()
    assert (edit.status, edit.citations_added) == (Status.CREDITED, 3)


def test_an_answer_without_content_leaves_the_edit_pending(fake_server, tracker_settings):
    campaign = make_campaign()
    revid = next_revid()
    empty = revision(revid, 0, "")
    empty["slots"] = {"main": {"contentmodel": "wikitext", "contentformat": "text/x-wiki"}}
    fake_server.data = fake_data(revisions=[empty])
    edit = store_tagged_edit(campaign, revid, None)
    report = crediting.credit_edits([edit.pk])
    assert report.retry == [edit.pk]
    edit.refresh_from_db()
    assert (edit.status, edit.status_reason) == (Status.PENDING, "the API answered without the revision's content")


def test_an_unknown_wiki_fails_cleanly(tracker_settings, settings):
    settings.WIKIMEDIA_API_URL = "https://{server_name}/w/api.php"
    campaign = make_campaign(wikis=["nosuchthing"])
    candidate = EditCandidate(wiki="nosuchthing", revid=1, parent_revid=None, page_title="X", namespace=0,
                              user="A", timestamp=IN_PERIOD, summary="", is_new_page=True,
                              matches=(Match(campaign.pk, "hashtag", None),))
    [edit_id] = edits_store(candidates=[candidate], enqueue_crediting=False).new_edit_ids
    report = crediting.credit_edits([edit_id])
    assert report.retry == [edit_id]
    assert "unknown wiki" in TrackedEdit.objects.get(pk=edit_id).status_reason


def test_server_names():
    assert crediting.server_name("enwiki") == "en.wikipedia.org"
    assert crediting.server_name("zh_min_nanwiki") == "zh-min-nan.wikipedia.org"
    assert crediting.server_name("frwiktionary") == "fr.wiktionary.org"
    assert crediting.server_name("wikidatawiki") == "www.wikidata.org"
    with pytest.raises(crediting.UnknownWikiError):
        crediting.server_name("wiki")
