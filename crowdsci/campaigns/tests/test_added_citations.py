"""The citations each credited edit added: stored by crediting (against the local fake Action API), capped with the
exact count kept, filled for edits credited before by ``campaign_recount --fill-citations``, and read back for the
pages only through strict patterns (campaigns.citation_links)."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from crowdsci.campaigns.citation_links import LABELS, added_citations, identifier_url
from crowdsci.campaigns.models import CampaignAggregate, TrackedEdit
from crowdsci.campaigns.services.edits import Credit, edit_credit
from crowdsci.campaigns.tracking import crediting

from .conftest import fake_data, make_campaign, next_revid, revision, store_tagged_edit

pytestmark = pytest.mark.django_db

PARENT = "Aspirin is a drug.<ref>{{cite journal |title=Old study |doi=10.1000/old}}</ref>\n"
CHILD = (
    "Aspirin is a drug.<ref>{{cite journal |title=Old study |doi=10.1000/old |pmid=111}}</ref> "
    "It thins blood.<ref>{{cite journal |title=New trial |pmid=222 |pmc=PMC333 |doi=10.1000/New}}</ref> "
    "A chapter.<ref>{{cite book |url=https://www.ncbi.nlm.nih.gov/books/NBK4455/ |title=GeneReviews}}</ref> "
    "A trial.<ref>{{cite web |url=https://clinicaltrials.gov/study/NCT01234567 |title=Trial}}</ref> "
    "See MedlinePlus.<ref>{{cite web |url=https://medlineplus.gov/aspirin.html |title=Aspirin}}</ref> "
    "A book.<ref>{{cite book |title=Pharmacology |isbn=978-0-13-110362-7}}</ref> "
    "Hearsay.<ref>Someone said so.</ref>\n"
)
EXPECTED = [
    {"source": "pubmed", "ids": [["pmid", "222"], ["pmcid", "PMC333"], ["doi", "10.1000/new"]]},
    {"source": "bookshelf", "ids": [["nbk", "NBK4455"]]},
    {"source": "clinicaltrials", "ids": [["nct", "NCT01234567"]]},
    {"source": "medlineplus", "ids": [["url", "medlineplus.gov/aspirin.html"]]},
    {"source": None, "ids": [["isbn", "9780131103627"]]},
    {"source": None, "ids": []},
]


@pytest.fixture
def pair(fake_server, tracker_settings):
    parent, child = next_revid(), next_revid()
    fake_server.data = fake_data(revisions=[revision(parent, 0, PARENT), revision(child, parent, CHILD)])
    return parent, child


def test_crediting_stores_each_added_citation_with_its_source_and_identifiers(pair):
    campaign = make_campaign()
    parent, child = pair
    edit = store_tagged_edit(campaign, child, parent)
    crediting.credit_edits([edit.pk])
    edit.refresh_from_db()
    assert edit.citations_added == 6
    assert edit.added_citations == EXPECTED  # in page order; the enriched old study is not an added one
    shown = added_citations(edit)
    assert shown.more == 0
    urls = [identifier.url for citation in shown.citations for identifier in citation.identifiers]
    assert urls == ["https://pubmed.ncbi.nlm.nih.gov/222/", "https://pmc.ncbi.nlm.nih.gov/articles/PMC333/",
                    "https://doi.org/10.1000/new", "https://www.ncbi.nlm.nih.gov/books/NBK4455/",
                    "https://clinicaltrials.gov/study/NCT01234567", None, None]  # a URL and an ISBN: text


def test_the_list_is_capped_and_the_count_stays_exact(fake_server, tracker_settings):
    campaign = make_campaign()
    revid = next_revid()
    text = "".join(f"Fact {n}.<ref>{{{{cite journal |pmid={1000 + n} |title=T{n}}}}}</ref>\n" for n in range(73))
    fake_server.data = fake_data(revisions=[revision(revid, 0, text)])
    edit = store_tagged_edit(campaign, revid, None)
    crediting.credit_edits([edit.pk])
    edit.refresh_from_db()
    assert edit.citations_added == 73
    assert len(edit.added_citations) == TrackedEdit.CITATIONS_KEPT == 50
    assert edit.added_citations[0] == {"source": "pubmed", "ids": [["pmid", "1000"]]}
    assert added_citations(edit).more == 23
    assert (len(added_citations(edit, 5).citations), added_citations(edit, 5).more) == (5, 68)


def test_recount_fills_the_lists_of_edits_credited_before_and_moves_no_figure(pair, fake_server):
    campaign = make_campaign()
    parent, child = pair
    old = store_tagged_edit(campaign, child, parent)
    # Credited as an older tracker did: figures, no list.
    edit_credit(edit_id=old.pk, credit=Credit(6, 0, 1, 4, {"pubmed": 1, "bookshelf": 1, "clinicaltrials": 1,
                                                           "medlineplus": 1}, {"pmid": 1}, 10))
    hidden_revid = next_revid()
    text_hidden = revision(hidden_revid, parent, "", texthidden=True)
    text_hidden["slots"]["main"] = {"contentmodel": "wikitext", "texthidden": True}
    fake_server.data.revisions[hidden_revid] = text_hidden
    fake_server.data.revision_pages[hidden_revid] = fake_server.data.revision_pages[child]
    hidden = store_tagged_edit(campaign, hidden_revid, parent)
    edit_credit(edit_id=hidden.pk, credit=Credit(1, 0, 0, 0, {}, {}, 5))
    pending = store_tagged_edit(campaign, next_revid(), parent)  # no credit: nothing to fill
    before = list(CampaignAggregate.objects.filter(campaign=campaign).order_by("pk").values())
    figures = TrackedEdit.objects.filter(pk=old.pk).values("citations_added", "nlm_by_source", "status").get()

    out = StringIO()
    call_command("campaign_recount", campaign.slug, "--fill-citations", stdout=out, stderr=StringIO())

    assert out.getvalue().splitlines() == [
        "citations: 1 edits filled, 1 left without (hidden, missing or unreachable revisions)", "drift: none"]
    old.refresh_from_db()
    assert old.added_citations == EXPECTED
    assert TrackedEdit.objects.get(pk=hidden.pk).added_citations is None
    assert TrackedEdit.objects.get(pk=pending.pk).added_citations is None
    assert TrackedEdit.objects.filter(pk=old.pk).values("citations_added", "nlm_by_source", "status").get() == figures
    assert list(CampaignAggregate.objects.filter(campaign=campaign).order_by("pk").values()) == before
    requests = len(fake_server.requests)
    call_command("campaign_recount", campaign.slug, "--fill-citations", stdout=out, stderr=StringIO())
    assert TrackedEdit.objects.get(pk=old.pk).added_citations == EXPECTED
    assert len(fake_server.requests) - requests <= 2  # only the hidden one is asked again


def test_recount_without_the_option_fetches_nothing(pair, fake_server):
    campaign = make_campaign()
    parent, child = pair
    edit = store_tagged_edit(campaign, child, parent)
    edit_credit(edit_id=edit.pk, credit=Credit(6, 0, 1, 4, {}, {}, 10))
    requests = len(fake_server.requests)
    out = StringIO()
    call_command("campaign_recount", campaign.slug, stdout=out)
    assert out.getvalue() == "drift: none\n"
    assert len(fake_server.requests) == requests
    assert TrackedEdit.objects.get(pk=edit.pk).added_citations is None


@pytest.mark.parametrize(("kind", "value", "url"), [
    ("pmid", "12345", "https://pubmed.ncbi.nlm.nih.gov/12345/"),
    ("pmcid", "PMC42", "https://pmc.ncbi.nlm.nih.gov/articles/PMC42/"),
    ("nbk", "NBK1116", "https://www.ncbi.nlm.nih.gov/books/NBK1116/"),
    ("nct", "NCT01234567", "https://clinicaltrials.gov/study/NCT01234567"),
    ("doi", "10.1000/abc(1)2;x", "https://doi.org/10.1000/abc(1)2;x"),
    ("doi", "10.1000/a?b#c&d'e%f", "https://doi.org/10.1000/a%3Fb%23c%26d%27e%25f"),
    ("doi", "10.1000/é", "https://doi.org/10.1000/%C3%A9"),
])
def test_well_formed_identifiers_are_linked(kind, value, url):
    assert identifier_url(kind, value) == url


@pytest.mark.parametrize(("kind", "value"), [
    ("pmid", "javascript:alert(1)"), ("pmid", "0123"), ("pmid", "123/../../x"), ("pmid", "123\n"),
    ("pmcid", "PMC1/../evil"), ("pmcid", "pmc1"), ("nbk", "NBK1<script>"), ("nct", "NCT123"),
    ("doi", "javascript:alert(1)"), ("doi", "10.1000/a b"), ("doi", '10.1000/"onmouseover="x'),
    ("doi", "10.1000/<script>"), ("doi", "10.1000/\ud800"), ("doi", "11.1000/x"),
    ("isbn", "9780131103627"), ("url", "javascript:alert(1)"), ("url", "example.org/x"), ("other", "1"),
])
def test_anything_else_is_not_linked(kind, value):
    assert identifier_url(kind, value) is None


PREFIXES = ("https://pubmed.ncbi.nlm.nih.gov/", "https://pmc.ncbi.nlm.nih.gov/articles/",
            "https://www.ncbi.nlm.nih.gov/books/", "https://clinicaltrials.gov/study/", "https://doi.org/10.")
URL_CHARACTERS = re.compile(r"[A-Za-z0-9/:;()._~%-]+")


@given(st.sampled_from(sorted(LABELS)), st.one_of(
    st.text(), st.from_regex(r"10\.[0-9]{4,9}/.{1,40}", fullmatch=True),
    st.from_regex(r"(PMC|NBK|NCT)?[0-9]{1,12}.{0,3}", fullmatch=True)))
def test_a_link_is_one_of_the_known_addresses_made_of_url_characters_only(kind, value):
    url = identifier_url(kind, value)
    assert url is None or (url.startswith(PREFIXES) and URL_CHARACTERS.fullmatch(url))


def test_a_malformed_stored_list_is_read_item_by_item():
    edit = TrackedEdit(citations_added=4, added_citations=[
        "text", {"source": ["x"], "ids": "pmid:1"}, {"source": "pubmed", "ids": [["pmid", "7"], ["pmid"], [1, 2],
                                                                                 ["evil", "x"], ["pmid", ""]]},
    ])
    shown = added_citations(edit)
    assert [(c.source, [(i.kind, i.value, i.url) for i in c.identifiers]) for c in shown.citations] == [
        (None, []), ("pubmed", [("pmid", "7", "https://pubmed.ncbi.nlm.nih.gov/7/")])]
    assert shown.more == 1
    assert not added_citations(TrackedEdit(citations_added=3, added_citations=None))
    assert not added_citations(TrackedEdit(citations_added=3, added_citations={"pmid": 3}))


def test_the_demo_lists_the_citations_of_its_real_edits_and_fills_an_older_load():
    from crowdsci.campaigns import demo

    demo.load_demo_campaign()
    credited = TrackedEdit.objects.exclude(citations_added=None)
    assert credited.exists() and not credited.filter(added_citations=None).exists()
    for edit in credited:
        assert len(edit.added_citations) == min(edit.citations_added, TrackedEdit.CITATIONS_KEPT)
    linked = [identifier.url for edit in credited for citation in added_citations(edit).citations
              for identifier in citation.identifiers if identifier.url]
    assert any(url.startswith("https://pubmed.ncbi.nlm.nih.gov/") for url in linked)
    assert any(url.startswith("https://doi.org/10.") for url in linked)
    lists = dict(credited.values_list("pk", "added_citations"))
    credited.update(added_citations=None)  # as a demo loaded before the lists were kept
    demo.load_demo_campaign()
    assert dict(TrackedEdit.objects.exclude(citations_added=None).values_list("pk", "added_citations")) == lists
