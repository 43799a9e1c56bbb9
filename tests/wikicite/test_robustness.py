"""Never raises, linear work, memory proportional to the input: property tests on random and hostile text."""

from __future__ import annotations

import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crowdsci.wikicite import citation_needed, count, diff, extract

from .corpus import PAGES
from .hostile import DENSE, HOSTILE, ordinary
from .work import measure

# Fragments that exercise every branch of the scanner, mixed with arbitrary text.
FRAGMENTS = [
    "<ref>", "</ref>", "<ref name=a>", "<ref name=\"a\"/>", "<ref name='b' group=g>", "<ref group=x/>",
    "<references/>", "<references>", "</references>", "<!--", "-->", "<nowiki>", "</nowiki>", "<pre>",
    "</pre>", "<math>", "</math>", "{{", "}}", "[[", "]]", "|", "=", "{{#tag:ref|", "{{reflist|refs=",
    "{{cite journal|pmid=1|doi=10.1000/x|url=http://a.b/c}}", "{{sfn|A|2000}}", "{{cn|date=May 2020}}",
    "{{efn|", "\n== H ==\n", "http://web.archive.org/web/1/http://x.org/", "https://pubmed.ncbi.nlm.nih.gov/5/",
    "<ref follow=a>", "<REF NAME=a>", "</REF >", "<ref name=1>", "\x00", "\r\n", "\u202e", "\U0001f600", "\ud800",
    "'''", "<", ">", "/>", "\"", "'",
]
wikitextish = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=60).map("".join)


def _check_page(text: str) -> None:
    page = extract(text)
    assert page.definitions == len(page.footnotes) + page.orphans
    assert page.definitions >= 0 and page.short_citations >= 0
    for citation in page.citations:
        assert 0 <= citation.span[0] < citation.span[1] <= len(text)
        citation.identifiers.identity_keys()
        assert citation.nlm_source in (None, "pubmed", "pmc", "bookshelf", "medlineplus", "clinicaltrials",
                                       "dailymed", "nlm-other")
        citation.templates  # noqa: B018 - the lazy parse must not raise either
    count(text)
    citation_needed(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wikitextish)
def test_never_raises_on_wikitext_like_input(text: str) -> None:
    _check_page(text)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_never_raises_on_arbitrary_unicode(text: str) -> None:
    _check_page(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wikitextish, wikitextish)
def test_diff_never_raises_and_is_a_multiset_difference(parent: str, child: str) -> None:
    result = diff(parent, child)
    old, new = extract(parent).citations, extract(child).citations
    assert len(result.added) <= len(new)
    assert len(result.removed) <= len(old)
    same = diff(child, child)
    assert not same.added and not same.removed


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wikitextish)
def test_crlf_changes_no_count(text: str) -> None:
    lf = text.replace("\r", "")
    assert count(lf) == count(lf.replace("\n", "\r\n"))


def test_non_string_input_never_raises() -> None:
    for value in (None, b"<ref>x</ref>", b"\xff\xfe<ref>", 42, bytearray(b"<ref>y</ref>")):
        extract(value)  # type: ignore[arg-type]
        count(value)  # type: ignore[arg-type]
    assert count(b"<ref>x</ref>")["definitions"] == 1  # type: ignore[arg-type]


def test_ten_thousand_deep_template_nesting() -> None:
    text = "{{a|" * 10_000 + "<ref>deep</ref>" + "}}" * 10_000
    assert count(text)["definitions"] == 1
    text = "{{#tag:ref|" * 10_000 + "x" + "}}" * 10_000
    count(text)
    text = "[[" * 10_000 + "{{" * 10_000 + "<ref>x</ref>"
    assert count(text)["definitions"] == 1


def test_ten_megabyte_page() -> None:
    ordinary = "".join(path.read_text(encoding="utf-8") for path in sorted(PAGES.glob("*.wikitext")))
    page = (ordinary * (10_000_000 // len(ordinary) + 1))[:10_000_000]
    result = count(page)
    assert result["definitions"] > 10_000


# --- linear work: hostile input costs per byte what ordinary pages cost, within a constant factor ----------
# Work is counted, not timed (tests/wikicite/work.py: engine lines run, characters scanned by its regexes and
# by find on the page), so these bounds hold on a loaded machine and can be tight. A quadratic path shows as
# work per byte that grows with the input: four times the input, four times the work per byte. The timings
# of the same inputs are in `make bench` (bench/bench_wikicite.py).

SIZE = 25_000
HOSTILE_FACTOR = 4  # measured at most 2.8 (count, "ref full of ref openings")
DENSE_FACTOR = 8  # measured at most 4.5 (extract, "citation needed everywhere": a sentence per marker)
GROWTH = 1.25  # work per byte at 4 * SIZE over work per byte at SIZE; measured 1.00 for every input
INPUTS = [(name, make, HOSTILE_FACTOR) for name, make in HOSTILE.items()] + [
    (name, make, DENSE_FACTOR) for name, make in DENSE.items()
]


def _work_per_byte(job, text: str) -> float:
    return measure(job, text).total / len(text)


@pytest.fixture(scope="module")
def ordinary_work() -> dict[str, float]:
    text = ordinary(SIZE)
    return {job.__name__: _work_per_byte(job, text) for job in (count, extract)}


@pytest.mark.parametrize("job", [count, extract], ids=["count", "extract"])
@pytest.mark.parametrize(("name", "make", "factor"), INPUTS, ids=[name for name, _make, _factor in INPUTS])
def test_hostile_input_costs_a_constant_factor_of_an_ordinary_page(job, name: str, make, factor: int,
                                                                   ordinary_work: dict[str, float]) -> None:
    small = make(SIZE)
    assert len(small) >= SIZE // 2
    per_byte = _work_per_byte(job, small)
    assert per_byte <= factor * ordinary_work[job.__name__], f"{name}: {per_byte:.1f} work units per byte"
    large = make(4 * SIZE)
    growth = _work_per_byte(job, large) / per_byte
    assert growth <= GROWTH, f"{name}: work per byte grew {growth:.2f}x from {len(small)} to {len(large)} chars"


def test_work_counters_see_a_quadratic_path() -> None:
    # The counters must see work that grows with the square of the input (else the tests above cannot fail):
    # a find from every position to the end, a regex search from every position.
    def rescans_with_find(text: str) -> None:
        for at in range(0, len(text), 4):
            text.find("never there", at)

    def rescans_with_regex(text: str) -> None:
        from crowdsci.wikicite import scanner

        for at in range(0, len(text), 4):
            scanner.TOP_RE.search(text, at)

    for quadratic in (rescans_with_find, rescans_with_regex):
        small, large = _work_per_byte(quadratic, "x" * 2_000), _work_per_byte(quadratic, "x" * 8_000)
        assert large / small > 3.5, quadratic.__name__
    assert measure(rescans_with_regex, "x" * 2_000).regex > 2_000 * 2_000 / 8


def test_memory_is_proportional_to_the_input() -> None:
    text = HOSTILE["deep closed nesting"](400_000) + DENSE["tiny refs"](400_000)
    tracemalloc.start()
    try:
        count(text)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 200 * len(text)


# Characters whose Unicode case folding lands on ASCII letters. MediaWiki matches tag and parameter names with
# PCRE's /i without /u, which folds ASCII only, so none of these may make a tag or parameter name match.
FOLDING_PIECES = [
    "<ref", "</ref>", ">", "/>", " name=", '"a"', "<references>", "</references>", "<ſource>", "</ſource>",
    "<ſyntaxhighlight>", "<nowiki>", "{{", "}}", "|", "=", "cite journal", "pmıd", "PMİD", "ISBN ", "isbn",
    "DOİ", "10.1000/x", "http://", "ſfn", "harv", "#tag:ref", "cıtation needed", "²", "١٢", "ſ", "ı", "İ", "K",
    "ß", "ﬀ", "ﬆ", "\n", "== S ==",
]


@given(st.lists(st.sampled_from(FOLDING_PIECES), max_size=60).map("".join))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_unicode_case_folding_never_raises(text: str) -> None:
    count(text)
    extract(text)
    citation_needed(text)
    diff(text[: len(text) // 2], text)


@pytest.mark.parametrize(
    ("text", "definitions", "pmids", "isbns"),
    [
        # These three raised KeyError or ValueError before the regexes were made ASCII-only.
        ("<ref>{{cite journal|pmıd=1}}</ref>", 1, 0, 0),
        ("<ref>{{cite journal|PMİD=1}}</ref>", 1, 0, 0),
        ("<ref>{{cite book|isbn=²²²²²²²²²X}}</ref>", 1, 0, 0),
        # "<ſource>" is not <source> to MediaWiki, so the ref after it renders and counts.
        ("<ſource><ref>a</ref>", 1, 0, 0),
        ("<ref>{{cite journal|PMID=123}}</ref>", 1, 1, 0),
    ],
)
def test_non_ascii_look_alikes_are_not_names(text: str, definitions: int, pmids: int, isbns: int) -> None:
    counts = count(text)
    assert counts["definitions"] == definitions
    assert counts["identifiers"]["pmid"] == pmids
    assert counts["identifiers"]["isbn"] == isbns
