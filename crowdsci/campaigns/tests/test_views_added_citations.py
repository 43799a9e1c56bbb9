"""The citations an edit added, on the live feed (the htmx-polled block and the dashboard) and the participant
page: each identifier linked to PubMed, PMC, Bookshelf, ClinicalTrials.gov or the DOI resolver, anything else
shown as escaped text; hostile identifiers from wikitext never become markup or a link."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from crowdsci.campaigns.tests.page_factories import make_campaign, make_credited_edit, make_participant

pytestmark = pytest.mark.django_db

CITATIONS = [
    {"source": "pubmed", "ids": [["pmid", "222"], ["pmcid", "PMC333"], ["doi", "10.1000/new(1)"]]},
    {"source": "bookshelf", "ids": [["nbk", "NBK4455"]]},
    {"source": "clinicaltrials", "ids": [["nct", "NCT01234567"]]},
    {"source": "medlineplus", "ids": [["url", "medlineplus.gov/aspirin.html"]]},
    {"source": None, "ids": [["isbn", "9780131103627"]]},
]
LINKS = [
    "https://pubmed.ncbi.nlm.nih.gov/222/", "https://pmc.ncbi.nlm.nih.gov/articles/PMC333/",
    "https://doi.org/10.1000/new(1)", "https://www.ncbi.nlm.nih.gov/books/NBK4455/",
    "https://clinicaltrials.gov/study/NCT01234567",
]
HOSTILE = [
    {"source": "<b>pubmed</b>", "ids": [["pmid", "javascript:alert(1)"], ["pmid", '1"><script>alert(1)</script>'],
                                        ["doi", "10.1000/x\"onmouseover=\"alert(1)"],
                                        ["doi", "javascript:alert(1)//10.1000/x"]]},
    {"source": None, "ids": [["url", "javascript:alert(document.cookie)"], ["url", "<img src=x onerror=alert(1)>"],
                             ["nbk", "NBK1'><svg onload=alert(1)>"]]},
]


def hrefs(content: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', content)


def test_the_live_feed_lists_each_added_citation_linked(client: Client):
    campaign = make_campaign("spring")
    make_credited_edit(campaign, user="Walk In", title="Aspirin", citations=5, nlm=3, added_citations=CITATIONS)
    for url in ("/campaigns/spring/live/", "/campaigns/spring/"):
        content = client.get(url).content.decode()
        feed = content[content.index('class="feed-citations"'):]
        links = hrefs(feed)
        assert [link for link in links if "wikipedia.org" not in link][:5] == LINKS
        assert "PubMed" in feed and "Bookshelf" in feed and "medlineplus.gov/aspirin.html" in feed
        assert "9780131103627" in feed and "https://medlineplus.gov" not in feed  # a URL is shown, not linked


def test_the_feed_shows_five_citations_and_says_how_many_more(client: Client):
    campaign = make_campaign("spring")
    many = [{"source": "pubmed", "ids": [["pmid", str(100 + n)]]} for n in range(50)]
    make_credited_edit(campaign, user="Walk In", citations=64, nlm=64, added_citations=many)
    content = client.get("/campaigns/spring/live/").content.decode()
    assert content.count("https://pubmed.ncbi.nlm.nih.gov/") == 5
    assert "and 59 more citations" in content


def test_the_participant_page_lists_the_citations_of_each_edit(client: Client):
    campaign = make_campaign("spring")
    person = make_participant(campaign, "Alice Editor")
    make_credited_edit(campaign, user="Alice Editor", participant=person, citations=7, nlm=3,
                       added_citations=CITATIONS)
    make_credited_edit(campaign, user="Alice Editor", participant=person, citations=2, nlm=0)  # list not known
    content = client.get(f"/campaigns/spring/participants/{person.pk}/").content.decode()
    for link in LINKS:
        assert f'href="{link}"' in content
    assert "and 2 more citations" in content  # seven added, five listed


def test_hostile_identifiers_are_escaped_and_never_linked(client: Client):
    campaign = make_campaign("spring")
    person = make_participant(campaign, "Alice Editor")
    make_credited_edit(campaign, user="Alice Editor", participant=person, citations=2, nlm=1,
                       added_citations=HOSTILE)
    pages = [client.get(url).content.decode() for url in (
        "/campaigns/spring/live/", "/campaigns/spring/", f"/campaigns/spring/participants/{person.pk}/")]
    for content in pages:
        assert "<script>alert" not in content and "<img src=x" not in content and "<svg" not in content
        assert "<b>pubmed" not in content and "&lt;b&gt;pubmed&lt;/b&gt;" in content
        assert 'onmouseover="alert' not in content
        assert not [link for link in hrefs(content) if "javascript" in link.lower() or "alert" in link]
        assert not [link for link in hrefs(content) if link.startswith(("https://pubmed", "https://doi.org",
                                                                        "https://www.ncbi.nlm.nih.gov/books"))]
        assert "javascript:alert(document.cookie)" in content  # shown, as text
