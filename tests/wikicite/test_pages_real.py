"""Hand-checked counts on real pages (data: tests/data/wikicite/pages.json) and whole-corpus sanity checks."""

from __future__ import annotations

import json

import pytest

from crowdsci.wikicite import count, extract

from .corpus import DATA, PAGES

EXPECTED = json.loads((DATA / "pages.json").read_text(encoding="utf-8"))["pages"]


@pytest.mark.parametrize("case", EXPECTED, ids=[case["file"] for case in EXPECTED])
def test_hand_checked_page(case: dict) -> None:
    counts = count((DATA / case["file"]).read_text(encoding="utf-8"))
    for key, value in case["expect"].items():
        if key == "identifiers":
            assert {kind: counts["identifiers"][kind] for kind in value} == value, case["how"]
        else:
            assert counts[key] == value, f"{key}: {case['how']}"


def test_crlf_page_counts_like_its_lf_version() -> None:
    # Bootham_Crescent has CRLF line endings; MediaWiki stores LF. Line endings change no count.
    crlf = (PAGES / "Bootham_Crescent.wikitext").read_bytes().decode("utf-8")
    assert "\r\n" in crlf
    lf = crlf.replace("\r\n", "\n")
    with_crlf, with_lf = count(crlf), count(lf)
    assert with_crlf == with_lf
    assert with_crlf["definitions"] == 98
    sections_crlf = [c.section for c in extract(crlf).citations]
    assert sections_crlf == [c.section for c in extract(lf).citations]
    assert all("\r" not in section for section in sections_crlf)


def test_chemical_biology_nlm_sources_come_from_parameters() -> None:
    # SOURCES.md: no NLM URLs, PubMed only as pmid=/pmc= parameters; every citation with a pmid= is NLM.
    page = extract((PAGES / "Chemical_biology.wikitext").read_text(encoding="utf-8"))
    with_pmid = [c for c in page.citations if c.identifiers.pmid]
    assert with_pmid
    assert all(c.nlm_source == "pubmed" for c in with_pmid)
    assert not any(url.startswith(("ncbi.", "pubmed.")) for c in page.citations for url in c.identifiers.url)


def test_ibn_al_haytham_short_citations_inside_refs() -> None:
    counts = count((PAGES / "Ibn_al-Haytham.wikitext").read_text(encoding="utf-8"))
    assert counts["short_citations"] > 100  # 136 {{harvnb}} + harv/harvtxt/harvs calls, identical ones merged


@pytest.mark.parametrize("path", sorted(PAGES.glob("*.wikitext")), ids=lambda p: p.name)
def test_every_corpus_page_is_consistent(path) -> None:
    page = extract(path.read_text(encoding="utf-8"))
    footnotes = [c for c in page.citations if c.kind != "short"]
    # Each footnote with text is a citation unit; the others are orphans.
    assert page.definitions == len(footnotes) + page.orphans
    assert sum(page.groups.values()) == page.definitions
    for citation in page.citations:
        assert 0 <= citation.span[0] < citation.span[1]
