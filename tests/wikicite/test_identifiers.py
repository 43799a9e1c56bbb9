"""Identifier normalization and NLM classification: one example per documented rule (RULES.md)."""

from __future__ import annotations

import pytest

from crowdsci.wikicite import extract
from crowdsci.wikicite.identifiers import (
    classify_url,
    isbn13,
    link_facts,
    nlm_source,
    normalize_doi,
    normalize_pmcid,
    normalize_pmid,
)

from .reference import normalize_isbn, normalize_url


@pytest.mark.parametrize(("raw", "expected"), [
    ("https://doi.org/10.1038/NBT.3290", "10.1038/nbt.3290"),
    ("doi:10.1126/Science.1179555.", "10.1126/science.1179555"),
    ("no doi here", None),
])
def test_doi(raw: str, expected: str | None) -> None:
    assert normalize_doi(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("0-19-852663-6", "9780198526636"),
    ("978-0-19-852663-6", "9780198526636"),
    ("0-8044-2957-X", "9780804429573"),
    ("12345", None),
])
def test_isbn_becomes_13_digits(raw: str, expected: str | None) -> None:
    assert normalize_isbn(raw) == expected
    assert isbn13(raw) == expected


def test_pmid_and_pmcid() -> None:
    assert normalize_pmid(" 020056882 ") == "20056882"
    assert normalize_pmcid("4729442") == normalize_pmcid("PMC4729442") == "PMC4729442"


@pytest.mark.parametrize(("raw", "expected"), [
    ("https://www.Example.com/a/b/#section", "example.com/a/b"),
    ("http://example.com/a/b", "example.com/a/b"),
    ("https://web.archive.org/web/20100101000000/http://www.example.com/a/b/", "example.com/a/b"),
    ("https://web.archive.org/20090614230848/http://wcafights.com:80/aboutus.php", "wcafights.com/aboutus.php"),
    ("http://archive.today/2020.01.01-120000/https://example.com/b/", "example.com/b"),
    ("http://example.com/x?utm_source=twitter&id=7", "example.com/x?id=7"),
])
def test_url_identity(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected
    facts = link_facts(raw)
    assert facts is not None and facts.normalized == expected


@pytest.mark.parametrize(("url", "source"), [
    ("https://pubmed.ncbi.nlm.nih.gov/20056882/", "pubmed"),
    ("https://www.ncbi.nlm.nih.gov/pubmed/20056882", "pubmed"),
    ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4729442/", "pmc"),
    ("https://pmc.ncbi.nlm.nih.gov/articles/PMC4729442/", "pmc"),
    ("https://www.ncbi.nlm.nih.gov/books/NBK22266/", "bookshelf"),
    ("https://www.ncbi.nlm.nih.gov/nlmcatalog/101231360", "nlm-other"),
    ("https://medlineplus.gov/ency/article/000001.htm", "medlineplus"),
    ("https://medlineplus.gov/genetics/gene/brca1/", "medlineplus"),
    ("https://clinicaltrials.gov/ct2/show/NCT01234567", "clinicaltrials"),
    ("https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=1", "dailymed"),
    ("https://wwwcf.nlm.nih.gov/anything", "nlm-other"),
    ("https://www.nih.gov/news-events", None),
    ("https://example.com/pubmed", None),
])
def test_nlm_hosts(url: str, source: str | None) -> None:
    assert classify_url(normalize_url(url) or "")[0] == source
    facts = link_facts(url)
    assert facts is not None and facts.nlm_source == source


@pytest.mark.parametrize(("linked", "has_pmid", "has_pmcid", "source"), [
    ("medlineplus", True, True, "medlineplus"),  # a linked NLM page decides, whatever identifiers there are
    (None, True, True, "pubmed"),  # else a PMID
    (None, False, True, "pmc"),  # else a PMCID
    (None, False, False, None),
])
def test_the_nlm_source_rule(linked: str | None, has_pmid: bool, has_pmcid: bool, source: str | None) -> None:
    assert nlm_source(linked, has_pmid, has_pmcid) == source


def test_other_nih_hosts_are_flagged_apart() -> None:
    assert classify_url(normalize_url("https://www.cancer.gov.example.org") or "") == (None, False)
    assert classify_url(normalize_url("https://www.niaid.nih.gov/diseases") or "") == (None, True)
    facts = link_facts("https://www.niaid.nih.gov/diseases")
    assert facts is not None and (facts.nlm_source, facts.nih_other) == (None, True)


def test_citation_identifiers_and_source() -> None:
    page = extract(
        "A<ref>{{cite journal |doi=10.1038/NBT.3290 |pmid=26121415 |pmc=4729442 |isbn=0-19-852663-6}}</ref>"
        " B<ref>[https://web.archive.org/web/2019/https://medlineplus.gov/ency/article/1.htm MedlinePlus]</ref>"
        " C<ref>{{cite web |url=https://example.com/ |pmc=99}}</ref>"
        " D<ref>{{cite web |url=https://www.nih.gov/about}}</ref>"
    )
    a, b, c, d = page.citations
    assert a.identifiers.doi == ("10.1038/nbt.3290",)
    assert a.identifiers.pmid == ("26121415",)
    assert a.identifiers.pmcid == ("PMC4729442",)
    assert a.identifiers.isbn == ("9780198526636",)
    assert a.nlm_source == "pubmed"  # a pmid= parameter makes a citation NLM
    assert b.nlm_source == "medlineplus"  # archive unwrapped to the original
    assert c.nlm_source == "pmc"  # a pmc= parameter alone
    assert (d.nlm_source, d.nih_other) == (None, True)


def test_pubmed_link_yields_its_pmid() -> None:
    citation = extract("x<ref>[https://pubmed.ncbi.nlm.nih.gov/20056882/ Horvath]</ref>").citations[0]
    assert citation.identifiers.pmid == ("20056882",)
    assert citation.nlm_source == "pubmed"
