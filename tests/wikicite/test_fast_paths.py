"""The engine's hand-inlined hot paths give the same answers as the plain code they replace.

`analysis.sourcing` inlines IdentifierCollector (and takes a links-only regex where no other identifier can
occur), `identifiers.link_facts` folds three functions into one, `isbn13` is `normalize_isbn` without its
loops (those plain versions are in reference.py), `model.new_*` and `citation.new_citation` build frozen
dataclasses without their __init__, `extract._replay` merges two sorted event lists and counts plain refs
without _Cite.ref, and `count` tallies a page's footnotes at once (`analysis.tally_sourcing`, over the
contents joined with `analysis.JOIN`) instead of adding up Citations. Each is checked here against the
straightforward version on every citation of the real pages and on edge cases.
"""

from __future__ import annotations

import html
import itertools
import re
import sys
from bisect import bisect_right

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crowdsci.wikicite import clear_caches, count, extract, page_counts
from crowdsci.wikicite.analysis import (
    _IDENTIFIER_RE,
    _LINK_PARTS_RE,
    _LINK_RE,
    _PARAM_KIND,
    _WAYBACK_HOSTS,
    _WAYBACK_PATH_RE,
    _WHITESPACE,
    JOIN,
    _plain_link,
    joined_contents,
    sourcing,
    strip_comments,
    tally_sourcing,
)
from crowdsci.wikicite.citation import Citation, new_citation
from crowdsci.wikicite.extract import (
    _PAGE_TEMPLATES,
    _SHORT_CALL_RE,
    _Cite,
    _extract,
    _NoSections,
    _ref_args,
    _replay,
    _template_events,
    short_key,
)
from crowdsci.wikicite.identifiers import _MAY_STRIP_AT_END, ID_TEMPLATES, isbn13, link_facts
from crowdsci.wikicite.model import (
    NLM_SOURCES,
    CitationNeeded,
    Identifiers,
    Reuse,
    Sourcing,
    Template,
    new_citation_needed,
    new_identifiers,
    new_reuse,
    new_sourcing,
    new_template,
)
from crowdsci.wikicite.scanner import (
    _ATTR_RE,
    _SPACES,
    ExtTag,
    new_tag,
    parse_attributes,
    scan,
    scan_page,
    template_key,
)

from .corpus import PAGES
from .reference import (
    URL_RE,
    IdentifierCollector,
    classify_url,
    ids_from_url,
    normalize_isbn,
    normalize_url,
    url_facts,
)


def _plain_sourcing(content: str) -> Sourcing:
    """`sourcing` written the obvious way: the one-pass regex feeding an IdentifierCollector."""
    content = strip_comments(content)
    collector = IdentifierCollector()
    for found in _IDENTIFIER_RE.finditer(content):
        kind = found.lastgroup
        if kind == "url":
            collector.add_url("h" + found.group("url"))
        elif kind == "URL":
            collector.add_url("H" + found.group("URL"))
        elif kind == "pv":
            value = found.group("pv").strip()
            if value:
                collector.add(_PARAM_KIND[found.group("pk").lower()], value)
        elif kind == "tv":
            value = found.group("tv").strip()
            if value:
                collector.add(ID_TEMPLATES[found.group("tk").lower()], value)
        elif kind in ("doi", "DOI"):
            collector.add("doi", found.group(kind))
        elif kind in ("pmid", "isbn"):
            collector.add(kind, found.group(kind))
    return Sourcing(*collector.result())


EDGE_CASES = [
    "",
    "plain text, no identifiers",
    "{{cite journal |pmid= 012345 |pmc=PMC99 |doi=10.1000/ABC. |isbn=0-19-852663-6 |url=http://x.org/a}}",
    "{{PMID|123}} {{doi|10.1/x}} {{cite pmc|id=4}} {{ISBN|978-0-19-852663-6}}",
    "HTTPS://WWW.NCBI.NLM.NIH.GOV/pubmed/42 https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7/ and PMID: 42",
    "https://doi.org/10.5/Y https://www.pnas.org/cgi/doi/10.1073/pnas.1 DOI: 10.2/z doi/10.3/w",
    "https://web.archive.org/web/2019/http://www.Example.com/a/#x https://www.nih.gov/ https://nih.gov",
    "https://medlineplus.gov/x https://clinicaltrials.gov/ct2/show/N https://dailymed.nlm.nih.gov/d ISBN 0-8044-2957-X",
    "<!-- PMID 1 --> |pmid= |doi= https:// http://localhost/ http://a.b/?utm_source=x&y=1",
    "https://archive.ph/2020.01.01/https://example.gov/x https://example.gov.evil.com/",
    "http://a.org/x https://b.org hTtPs://C.org/y xhttps://d.org ftp://e.org https:/f.org http://",
    "|url=https://doi.org/10.1/x|pmid=5 https://x.org/doi:10.2/y doi:10.3/z|PMID 7 ISBN 0-19-852663-6x",
    "{{doi|https://doi.org/10.4/q}} HTTPS://pubmed.ncbi.nlm.nih.gov/9 :// https:// https://\u017f.org",
]


def _page_contents() -> list[str]:
    contents: list[str] = []
    for path in sorted(PAGES.glob("*.wikitext")):
        contents.extend(citation.content for citation in extract(path.read_text(encoding="utf-8")).citations)
    return contents


@pytest.fixture(scope="module")
def contents() -> list[str]:
    return _page_contents() + EDGE_CASES


def test_sourcing_equals_the_collector_version(contents: list[str]) -> None:
    clear_caches()
    for content in contents:
        assert sourcing(content) == _plain_sourcing(content), content


def test_url_facts_equal_the_three_functions(contents: list[str]) -> None:
    clear_caches()
    links = [found.group() for content in contents for found in URL_RE.finditer(content)]
    links += ["", "http://", "https://www.ncbi.nlm.nih.gov/books/NBK1/", "https://x.gov/doi/10.1/y",
              "https://nlm.nih.gov", "http://dx.doi.org/10.1/Q"]
    for link in links:
        normalized = normalize_url(link)
        expected = None if not normalized else (normalized, *classify_url(normalized), *ids_from_url(normalized))
        assert url_facts(link) == expected, link


def test_fast_constructors_build_equal_instances() -> None:
    for values in itertools.product([(), ("1",)], repeat=5):
        made = new_identifiers(*values)
        assert made == Identifiers(*values) and hash(made) == hash(Identifiers(*values))
        assert new_sourcing(made, "pubmed", True) == Sourcing(made, "pubmed", True)
    citation = new_citation("ref", "a", "g", (1, 2), "History", "text", True)
    assert citation == Citation("ref", "a", "g", (1, 2), "History", "text", True)
    assert vars(citation) == vars(Citation("ref", "a", "g", (1, 2), "History", "text", True))
    assert new_citation("short", None, "", (0, 1), "", "x") == Citation("short", None, "", (0, 1), "", "x")
    assert new_reuse("a", "g", (1, 2)) == Reuse("a", "g", (1, 2))
    assert new_template("Cite web", "cite web", (("1", "x"),), (0, 9)) == Template("Cite web", "cite web",
                                                                                   (("1", "x"),), (0, 9))
    assert new_citation_needed("cn", None, "", "It is.", (3, 9)) == CitationNeeded("cn", None, "", "It is.", (3, 9))
    assert new_tag("ref", 0, 9, " name=a", (5, 3), 0) == ExtTag("ref", 0, 9, " name=a", (5, 3), 0)


def test_joined_short_call_search_finds_each_contents_own_calls() -> None:
    # _short_citations searches the footnotes joined with JOIN instead of each footnote on its own.
    from crowdsci.wikicite.extract import SHORT_TEMPLATES

    contents = []
    for name in sorted(SHORT_TEMPLATES):
        for spelled in (name, name.upper(), name.title(), name.replace("s", "\u017f")):
            contents += ["text {{ " + spelled + " |Smith|2001}}", "{{" + spelled + "|A|", "|p=1}}", "{", "}"]
    _assert_joined_matches_are_each_contents(_SHORT_CALL_RE, contents)
    assert len(_SHORT_CALL_RE.findall(JOIN.join(contents))) >= 3 * len(SHORT_TEMPLATES)  # ſ never matches


def test_count_equals_the_counts_of_the_full_extract() -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted(PAGES.glob("*.wikitext"))]
    texts += ["Claim.{{cn|date=May 2020}} <ref>plain</ref><ref name=a>x</ref><ref name=a/>{{sfn|A|1}}{{reflist}}",
              "<ref>  </ref><ref></ref><ref name=1>x</ref><ref>a<ref>b</ref>", "{{efn|{{cite web|url=http://a.b}}}}"]
    for text in texts:
        assert count(text) == page_counts(extract(text))


@pytest.mark.slow
def test_sourcing_equals_the_collector_version_across_history() -> None:
    from .corpus import crispr_revisions, dump_revisions, gene_editing_revisions

    seen: set[str] = set()
    for revisions in (crispr_revisions()[::20], dump_revisions(), gene_editing_revisions()[::7]):
        for revision in revisions:
            for citation in extract(revision.text).citations:
                if citation.content not in seen:
                    seen.add(citation.content)
                    assert sourcing(citation.content) == _plain_sourcing(citation.content), citation.content
    assert len(seen) > 1000


def _plain_replay(text: str) -> _Cite:
    """`extract._replay` the obvious way: every event (template events and tags) in one list, sorted by
    offset, each ref through _Cite.ref."""
    top = scan_page(text, _PAGE_TEMPLATES, ("#tag:",))
    template_events, in_list = _template_events(text, top)
    events = [(offset, sequence, kind, payload) for sequence, (offset, kind, payload) in enumerate(template_events)]
    for tag in top.tags:
        if tag.start in in_list:
            continue
        if tag.name == "ref":
            events.append((tag.start, len(events), "ref", _ref_args(text, tag)))
        elif tag.name == "references":
            group = parse_attributes(tag.attrs).get("group", "")
            defined = []
            if tag.inner is not None:
                inner = scan(text, tag.inner[0], tag.inner[1], want=frozenset())
                defined = [_ref_args(text, t) for t in inner.tags if t.name == "ref"]
            events.append((tag.start, len(events), "references", (group, defined)))
    events.sort()
    cite = _Cite(text, _NoSections())
    for _offset, _sequence, kind, payload in events:
        cite.event(kind, payload)
    return cite


def _replay_state(cite: _Cite) -> tuple:
    return (cite.definitions, list(cite.per_group.items()), [vars(c) for c in cite.citations], cite.reuses,
            cite.errors, cite.orphans(), {group: list(names) for group, names in cite.groups.items()})


def _assert_replay_is_plain(text: str) -> None:
    top = scan_page(text, _PAGE_TEMPLATES, ("#tag:",))
    assert _replay_state(_replay(text, top, _NoSections(), False)) == _replay_state(_plain_replay(text)), text


def test_replay_equals_the_plain_replay_on_the_corpus() -> None:
    for path in sorted(PAGES.glob("*.wikitext")):
        _assert_replay_is_plain(path.read_text(encoding="utf-8"))
    for text in ("<ref>a</ref><references/><ref>b</ref>", "<ref > x </ref><ref>\n</ref><ref>a<ref>b</ref>",
                 "{{reflist|refs=<ref name=a>x</ref>}}<ref name=a/><ref>y</ref>{{#tag:ref|z}}<ref group=g>w</ref>"):
        _assert_replay_is_plain(text)


REPLAY_FRAGMENTS = [
    "<ref>", "</ref>", "<ref >", "<ref\n>", "<ref name=a>", "<ref name=a/>", "<ref group=g>", "<ref follow=a>",
    "<ref name=1>", "<references/>", "<references>", "</references>", "<references group=g/>", "{{reflist|refs=",
    "{{#tag:ref|", "{{efn|{{cite web|url=x}}", "}}", "{{", "|", "<!--", "-->", "<nowiki>", "</nowiki>", "x", " ",
    "\n", "<b>", "</b>",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(REPLAY_FRAGMENTS), max_size=40).map("".join))
def test_replay_equals_the_plain_replay_on_generated_text(text: str) -> None:
    _assert_replay_is_plain(text)


def test_spelled_out_whitespace_is_what_backslash_s_matches() -> None:
    # The link and DOI tails of _IDENTIFIER_RE list \s's characters instead of writing \s (see analysis.py).
    spelled = re.compile("[" + _WHITESPACE + "]")
    backslash_s = re.compile(r"\s")
    for code_point in range(sys.maxunicode + 1):
        character = chr(code_point)
        assert bool(spelled.match(character)) == bool(backslash_s.match(character)), hex(code_point)


ISBN_PIECES = ["0", "1", "5", "7", "8", "9", "X", "x", "-", " ", "\u00b2", "\u0661", "\u00df", "\uff10", "ISBN "]


@given(st.lists(st.sampled_from(ISBN_PIECES), max_size=20).map("".join))
@settings(max_examples=1000, deadline=None)
def test_isbn13_equals_normalize_isbn(value: str) -> None:
    assert isbn13(value) == normalize_isbn(value)


def test_isbn13_equals_normalize_isbn_on_the_corpus(contents: list[str]) -> None:
    values = [found.group("pv") for content in contents for found in _IDENTIFIER_RE.finditer(content)
              if found.lastgroup == "pv"]
    values += ["0-19-852663-6", "978-0-19-852663-6", "0-8044-2957-X", "", "123456789", "12345678901234"]
    for value in values:
        assert isbn13(value) == normalize_isbn(value), value


LINK_PIECES = [
    "http://", "https://", "HTTPS://", "//", "www.", "WWW.", "web.archive.org/web/2019/", "archive.ph/", "a", "B",
    ".org", ".gov", ".nih.gov", "ncbi.nlm.nih.gov", "pubmed.ncbi.nlm.nih.gov", "doi.org", "/", "/pubmed/", "/pmc/",
    "articles/PMC1", "/doi/", "10.1000/x", "123", "?", "&", "utm_source=a", "id=1", "#", "#x", "@", ":80", ":443",
    ":8", ".", ",", ")", "(", "'", "\u0130", "\u017f", "\u212a", "com", "www", "-", " ", "\u3000", "archive",
]


@given(st.lists(st.sampled_from(LINK_PIECES), max_size=16).map("".join))
@settings(max_examples=1000, deadline=None)
def test_link_facts_equal_the_three_functions_on_generated_links(link: str) -> None:
    normalized = normalize_url(link)
    expected = None if not normalized else (normalized, *classify_url(normalized), *ids_from_url(normalized))
    assert link_facts(link) == expected


SOURCING_PIECES = [*LINK_PIECES, " ", "\n", "|", "=", "{{", "}}", "<", ">", "|pmid=", "|PMC=", "|doi=", "|isbn=",
                   "{{PMID|", "{{doi|", "doi:", "DOI ", "PMID ", "ISBN ", "0-19-852663-6", "<!--", "-->", "h", "t",
                   "p", ":", "ttp", "\u00a0", "\u3000"]


@given(st.lists(st.sampled_from(SOURCING_PIECES), max_size=30).map("".join))
@settings(max_examples=1000, deadline=None)
def test_sourcing_equals_the_collector_version_on_generated_text(content: str) -> None:
    clear_caches()
    assert sourcing(content) == _plain_sourcing(content)


def _plain_short_key(call: str) -> str:
    """`extract.short_key` as first written, with a whitespace regex per argument."""
    whitespace = re.compile(r"\s+")
    parts = [whitespace.sub(" ", part).strip() for part in call.strip()[2:-2].split("|")]
    name = template_key(parts[0]) if parts else ""
    positional = [p for p in parts[1:] if "=" not in p]
    named = sorted(p.split("=", 1)[0].strip().lower() + "=" + p.split("=", 1)[1].strip()
                   for p in parts[1:] if "=" in p)
    return "|".join([name, *positional, *named])


SHORT_CALL_PIECES = ["{{", "}}", "sfn", "Harvnb", "|", "=", "p", "Smith", "2001", " ", "  ", "\n", "\t", "\u00a0",
                     "\u3000", "\u2028", "\x1c", "_", "x=y=z", "-"]


@given(st.lists(st.sampled_from(SHORT_CALL_PIECES), max_size=20).map("".join))
@settings(max_examples=1000, deadline=None)
def test_short_key_equals_the_plain_version(call: str) -> None:
    assert short_key(call) == _plain_short_key(call)


def test_short_key_equals_the_plain_version_on_the_corpus() -> None:
    calls = [found.group() for path in sorted(PAGES.glob("*.wikitext"))
             for found in _SHORT_CALL_RE.finditer(path.read_text(encoding="utf-8"))]
    assert len(calls) > 100
    for call in calls:
        assert short_key(call) == _plain_short_key(call), call


def test_link_end_set_holds_every_whitespace_character() -> None:
    # link_facts skips the strips when a link's last character is not in this set (nor its first a space).
    whitespace = {chr(code_point) for code_point in range(sys.maxunicode + 1) if chr(code_point).isspace()}
    assert whitespace <= _MAY_STRIP_AT_END


def test_recent_pages_are_what_a_fresh_extract_returns() -> None:
    text = (PAGES / "Toronto_Star.wikitext").read_text(encoding="utf-8")
    kept = extract(text)
    assert extract(text) is kept  # the page is remembered for the next diff
    clear_caches()
    fresh = extract(text)
    assert fresh is not kept and fresh == kept
    assert [vars(c) for c in fresh.citations] == [vars(c) for c in _extract(text, True).citations]
    assert extract(text.encode()) == fresh  # input is coerced before the cache sees it
    assert extract(bytearray(b"<ref>x</ref>")).definitions == 1  # an unhashable input never reaches the cache


def _plain_parse_attributes(text: str) -> dict[str, str]:
    """`scanner.parse_attributes` without its fast path for a lone name="…"."""
    attrs: dict[str, str] = {}
    if not text or text.isspace():
        return attrs
    for found in _ATTR_RE.finditer(text):
        value = found.group(2)
        if value is None:
            value = found.group(3)
        if value is None:
            value = found.group(4) or ""
        value = re.sub(r"[\t\r\n ]+", " ", value).strip()
        if "&" in value:
            value = html.unescape(value)
        attrs[found.group(1).lower()] = value
    return attrs


ATTRIBUTE_PIECES = [" ", "\t", "\n", "\f", "\r", "\u00a0", "name", "NAME", "group", "=", '"', "'", "a", "b c", "  ",
                    "&amp;", "&", "/", ">", "<", "x=y", "1"]


@given(st.lists(st.sampled_from(ATTRIBUTE_PIECES), max_size=16).map("".join))
@settings(max_examples=1500, deadline=None)
def test_parse_attributes_equals_the_plain_version(text: str) -> None:
    parse_attributes.cache_clear()
    assert parse_attributes(text) == _plain_parse_attributes(text)
    assert parse_attributes(' name="' + text.replace('"', "") + '"') == _plain_parse_attributes(
        ' name="' + text.replace('"', "") + '"')


def test_attribute_token_excludes_every_whitespace_character() -> None:
    # parse_attributes keeps a quoted name with none of these characters (and no "&") as it is.
    whitespace = {chr(code_point) for code_point in range(sys.maxunicode + 1) if chr(code_point).isspace()}
    assert set(_SPACES) == whitespace


def test_parse_attributes_equals_the_plain_version_on_the_corpus() -> None:
    for path in sorted(PAGES.glob("*.wikitext")):
        text = path.read_text(encoding="utf-8")
        for tag in scan_page(text, _PAGE_TEMPLATES, ("#tag:",)).tags:
            assert parse_attributes(tag.attrs) == _plain_parse_attributes(tag.attrs), tag.attrs


COUNT_FRAGMENTS = ["<ref>", "</ref>", "<ref name=a>", "<ref name=a/>", "<ref group=g>", "{{#tag:ref|", "}}", "{{",
                   "{{efn|{{cite web|", "{{sfn|A|1}}", "{{ Harvnb |A|1}}", "{{cn}}", "<references/>", "<!--", "-->",
                   "https://pubmed.ncbi.nlm.nih.gov/5/", "http://x.org/a", "|pmid=7", "doi:10.1000/y", "\u0130", "x"]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(COUNT_FRAGMENTS), st.sampled_from(SOURCING_PIECES)), max_size=40)
       .map("".join))
def test_count_equals_the_counts_of_the_full_extract_on_generated_text(text: str) -> None:
    clear_caches()
    assert count(text) == page_counts(extract(text))


def _plain_tally(contents: list[str]) -> tuple:
    """`tally_sourcing` the obvious way: `sourcing` of each content, added up as page_counts does."""
    by_source = dict.fromkeys(NLM_SOURCES, 0)
    values: dict[str, set[str]] = {kind: set() for kind in ("pmid", "pmcid", "doi", "isbn", "url")}
    nlm = nih_other = 0
    for content in contents:
        found = _plain_sourcing(content)
        if found.nlm_source:
            nlm += 1
            by_source[found.nlm_source] += 1
        nih_other += found.nih_other
        for kind in values:
            values[kind].update(getattr(found.identifiers, kind))
    return nlm, nih_other, by_source, values


def _tally(contents: list[str]) -> tuple:
    by_source = dict.fromkeys(NLM_SOURCES, 0)
    values: dict[str, set[str]] = {kind: set() for kind in ("pmid", "pmcid", "doi", "isbn", "url")}
    joined, ends = joined_contents(contents)
    nlm, nih_other = tally_sourcing(contents, joined, ends, by_source, values)
    return nlm, nih_other, by_source, values


def _assert_joined_matches_are_each_contents(pattern: re.Pattern[str], contents: list[str]) -> None:
    joined, ends = joined_contents(contents)
    each = [(index, found.group()) for index, content in enumerate(contents) for found in pattern.finditer(content)]
    assert [(bisect_right(ends, found.start()), found.group()) for found in pattern.finditer(joined)] == each


def test_tally_equals_the_sum_of_each_footnotes_sourcing(contents: list[str]) -> None:
    clear_caches()
    assert _tally(contents) == _plain_tally(contents)
    for path in sorted(PAGES.glob("*.wikitext")):  # page by page, as count tallies them
        page_contents = [c.content for c in extract(path.read_text(encoding="utf-8")).citations if c.kind != "short"]
        assert _tally(page_contents) == _plain_tally(page_contents), path.name
    assert _tally([]) == _plain_tally([])


# Links at the edges of the tally's inline link normalization (analysis._plain_link and its Wayback case).
TALLY_EDGE_LINKS = [
    "http://www.archive.org/web/1/http://x.org/a", "http://web.archive.org/web/2019id_/https://www.X.org/a/?utm_source=q&b=1#f",
    "https://a.org?id=1", "https://a.org#x/y", "http://a.org/b#c?d", "http://WEB.ARCHIVE.ORG/web/*/x.org",
    "http://archive.org/web/123/", "http://archive.org/web/123//", "http://wayback.archive.org/123/HTTP://Y.org/",
    "http://web.archive.org/web/1/http://web.archive.org/web/2/http://y.org", "http://web.archive.org/web/1/https:x.org",
    "http://web.archive.org/web/1/https://a.gov/x", "http://web.archive.org/web/1/x.org/p?fbclid=1",
    "http://web.archive.org/web/1/http://x.org/doi/10.1/y", "http://web.archive.org/1/http://archive.org/x",
    "https://a.b.gov/x", "https://doi.org/10.1/x", "http://x.org/doi/10.1000/y", "http://x.org/DOI/10.1/y",
    "http://x.org/a.", "http://x.org/a)", "http://x.org/(a)", "http://user@x.org/a", "http://x.org:80/a",
    "http://x.org/a/#", "http://x.org//", "http://www./a", "http://www.x/a", "http://WWW.X.ORG/A/", "http://x.org?",
    "http://x.org/a?utm_x=1&fbclid=2", "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC1/", "http://x.org/\u0130/",
    "http://\u0130.org/a", "http://\u212aa.org/", "http://x.org/arch\u0130ve/", "http://archive.today/2020/http://x.org",
    "https://a.org?utm_source=1", "http://x.org/DOI/10.1000/y", "http://x.org/doI/10.1000/y",
    "http://web.archive.org/web/1/http://x.org/Doi/10.1000/y", "http://web.archive.org/web/1/http://x.org/a?utm_source=1",
]


def _assert_plain_link_is_link_facts(link: str, checked: list[str]) -> None:
    found = _LINK_PARTS_RE.match("http:" + link, 4) if link.startswith("//") else None
    if found is None or found.group(1) != link or link[-1] in _MAY_STRIP_AT_END:
        return
    _raw, host, rest = found.groups()
    plain = (None, False, None, None, None)
    normalized = _plain_link(host, rest)
    if normalized is not None:
        assert link_facts(link) == (normalized, *plain), link
        checked.append(link)
    wayback = _WAYBACK_PATH_RE.match(rest) if host.lower() in _WAYBACK_HOSTS else None
    if wayback is not None and _plain_link(*wayback.groups()) is not None:
        assert link_facts(link) == (_plain_link(*wayback.groups()), *plain), link
        checked.append(link)


@given(st.lists(st.sampled_from([*LINK_PIECES, "?", "#", "I/", "i/", "DOI/", "web.archive.org/web/1/", "archive.org/",
                                 "ARCHIVE.ORG/", "www.archive.org/", "utm_x=1", "http:", "\u0130"]), max_size=16)
       .map(lambda pieces: "//" + "".join(pieces)))
@settings(max_examples=2000, deadline=None)
def test_plain_link_is_link_facts_on_generated_links(link: str) -> None:
    _assert_plain_link_is_link_facts(link, [])


def test_tally_equals_the_sum_of_each_footnotes_sourcing_on_edge_links() -> None:
    checked: list[str] = []
    for link in TALLY_EDGE_LINKS:
        _assert_plain_link_is_link_facts(link[link.index("//"):], checked)
    assert len(checked) > 10  # the inline normalization did read most of them
    for link in TALLY_EDGE_LINKS:
        for contents in ([link], [link + " x"], ["a", link, "b " + link + "/z"]):
            assert _tally(contents) == _plain_tally(contents), contents
    assert _tally(TALLY_EDGE_LINKS) == _plain_tally(TALLY_EDGE_LINKS)


TALLY_PIECES = [*SOURCING_PIECES, "{", "}", "İ", "PM", "pm", "c", "id", "Pmc", "dOi", "iSbN", "<!-", "!--", "ſ", "K"]


@given(st.lists(st.lists(st.sampled_from(TALLY_PIECES), max_size=12).map("".join), max_size=8))
@settings(max_examples=1500, deadline=None)
def test_tally_equals_the_sum_of_each_footnotes_sourcing_on_generated_contents(contents: list[str]) -> None:
    assert _tally(contents) == _plain_tally(contents)


@given(st.lists(st.lists(st.sampled_from(TALLY_PIECES + SHORT_CALL_PIECES), max_size=12).map("".join), max_size=8))
@settings(max_examples=1000, deadline=None)
def test_no_match_runs_across_the_join(contents: list[str]) -> None:
    for pattern in (_IDENTIFIER_RE, _LINK_RE, _LINK_PARTS_RE, _SHORT_CALL_RE):
        _assert_joined_matches_are_each_contents(pattern, contents)
