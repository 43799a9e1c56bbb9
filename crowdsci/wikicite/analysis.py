"""Content analysis of one citation: identifiers and NLM source (`sourcing`), templates and identity text
(`structure`). Both are pure functions of the content string, cached so that the unchanged citations of a
parent/child pair are analysed once."""

from __future__ import annotations

import re
from functools import lru_cache

from .identifiers import (
    ID_TEMPLATES,
    URL_PARAMS,
    LinkFacts,
    classify_url,
    ids_from_url,
    isbn13,
    link_facts,
    normalize_doi,
    normalize_pmcid,
    normalize_pmid,
    normalize_url,
    url_facts,
)
from .model import Identifiers, Sourcing, Structure, Template, new_identifiers, new_sourcing
from .scanner import parse_attributes, scan, template_key

_CACHE_SIZE = 8192
_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
# Identifier parameters of citation templates (|pmid=, |pmc=, |doi=, |isbn=) and identifier templates
# ({{PMID|…}}, {{doi|…}}). Values stop at the next parameter, template end, tag or line end.
_PARAM_KIND = {"pmid": "pmid", "pmc": "pmc", "pmcid": "pmc", "doi": "doi", "isbn": "isbn", "isbn10": "isbn",
               "isbn13": "isbn"}
_NON_WORD_RE = re.compile(r"[\W_]+")
_MARKUP_RE = re.compile(r"'{2,}|\[\[(?:[^\]|]*\|)?|\]\]|<[^>]*>")
# Parameters that change when a citation is reformatted or maintained, not when its source changes.
_VOLATILE_PARAMS = frozenset({
    "access-date", "accessdate", "archive-date", "archivedate", "url-status", "dead-url", "deadurl", "df", "mode",
    "ref", "format", "url-access", "archive-url", "archiveurl", "name-list-style", "display-authors",
})


def strip_comments(content: str) -> str:
    return _COMMENT_RE.sub("", content) if "<!--" in content else content


# Everything `sourcing` reads, in one pass: links, identifier parameters, identifier templates, and the
# "doi:", "PMID" and "ISBN" magic words (the last two are case-sensitive in MediaWiki). Every branch starts
# with a literal character so that the regex engine skips to candidate positions in C (its charset prefix).
# The link and DOI tails spell out the characters `\s` stands for (str.isspace(), 29 code points): `re` tests
# an explicit set with one table lookup, and `\s` inside a class with a Unicode category call per character,
# which made the tails a fifth of the scan. test_fast_paths checks the two sets are equal.
_WHITESPACE = "\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_URL_TAIL = r"[tT][tT][pP][sS]?://[^" + _WHITESPACE + r"<>\[\]{}|\"]+"
_DOI_TAIL = r"[oO][iI]\s*[:/]\s*(?:(?ai:abs|full|pdf|epdf)/)?(10\.\d{4,9}/[^" + _WHITESPACE + r"|}\]<>\"]+)"
# Case-insensitive groups are ASCII-only ("(?ai:"): Unicode case folding would let "pmıd" (dotless i) or
# "PMİD" match, whose lower() is not a key of the lookup tables.
_IDENTIFIER_RE = re.compile(
    r"h(?P<url>" + _URL_TAIL + r")"
    r"|H(?P<URL>" + _URL_TAIL + r")"
    r"|\|\s*(?P<pk>(?ai:pmid|pmc|pmcid|doi|isbn|isbn1[03]))\s*=\s*(?P<pv>[^|{}<\n]*)"
    r"|\{\{\s*(?P<tk>(?ai:pmid|pmc|pmcid|doi|isbn|cite pmid|cite doi|cite pmc))\s*\|\s*(?:(?:1|id)\s*=\s*)?"
    r"(?P<tv>[^|{}<\n]*)"
    r"|d(?P<doi>" + _DOI_TAIL + r")"
    r"|D(?P<DOI>" + _DOI_TAIL + r")"
    r"|PMID[\s:]+(?P<pmid>\d{1,9})\b"
    r"|ISBN(?:-1[03])?:?[ \t]+(?P<isbn>(?:97[89][- ]?)?(?:\d[- ]?){9}[\dXx])\b"
)
# The link branch alone, for content in which no other branch can match (most footnotes: see `sourcing`). It
# finds "://" by a literal search and looks back for "http"/"https", so it yields the same links as the two
# link branches (a link ends at a stop character, never inside the next link's scheme) without stopping at
# every "h" of the text; each match is the link from "//" on, which normalizes like the whole link.
_LINK_RE = re.compile(
    r":(?:(?<=[hH][tT][tT][pP]:)|(?<=[hH][tT][tT][pP][sS]:))(//[^" + _WHITESPACE + r"<>\[\]{}|\"]+)"
)
_EMPTY_SOURCING = Sourcing(Identifiers(), None, False)


@lru_cache(maxsize=_CACHE_SIZE)
def sourcing(content: str) -> Sourcing:
    """Identifiers and NLM source of a citation's content (one regex pass; no template parse needed).

    The same bookkeeping as IdentifierCollector (first-seen order, no duplicates; a linked NLM page decides
    the source, else a PMID, else a PMCID), inlined: this runs for every footnote of every page, and the
    collector's method calls and a cache lookup per link step cost more than the regex pass itself."""
    if "<!--" in content:
        content = _COMMENT_RE.sub("", content)
    # Every branch but the links needs "pmid", "pmc", "doi" or "isbn" in some ASCII case (lower() maps ASCII
    # letters to themselves in lower case and keeps them in place, so it finds each). Most footnotes hold
    # none of them, only links: those are found with the links-only regex, which yields the same matches.
    lowered = content.lower()
    if "doi" not in lowered and "pmid" not in lowered and "pmc" not in lowered and "isbn" not in lowered:
        return _links_only(content) if "://" in content else _EMPTY_SOURCING
    pmids: dict[str, None] = {}
    pmcids: dict[str, None] = {}
    dois: dict[str, None] = {}
    isbns: dict[str, None] = {}
    urls: dict[str, None] = {}
    url_nlm: str | None = None
    nih_other = False
    for found in _IDENTIFIER_RE.finditer(content):
        kind = found.lastgroup
        if kind == "url" or kind == "URL":
            # The whole match is the link: the branch's literal first letter plus the named tail.
            facts = link_facts(found[0])
            if facts is None:
                continue
            normalized = facts[0]
            if normalized in urls:
                continue
            urls[normalized] = None
            if facts[1] is None and not facts[2] and facts[3] is None and facts[4] is None and facts[5] is None:
                continue  # most links: no NLM source, not NIH, no identifier
            _normalized, source, nih, pmid, pmcid, doi = facts
            if source and url_nlm is None:
                url_nlm = source
            if nih:
                nih_other = True
            if pmid:
                pmids[pmid] = None
            if pmcid:
                pmcids[pmcid] = None
            if doi:
                dois[doi] = None
            continue
        if kind == "pv":
            value = found["pv"].strip()
            if not value:
                continue
            kind = _PARAM_KIND[found["pk"].lower()]
        elif kind == "tv":
            value = found["tv"].strip()
            if not value:
                continue
            kind = ID_TEMPLATES[found["tk"].lower()]
        else:
            value = found[kind]
            if kind == "DOI":
                kind = "doi"
        if kind == "pmid":
            normalized = normalize_pmid(value)
            if normalized:
                pmids[normalized] = None
        elif kind == "doi":
            normalized = normalize_doi(value)
            if normalized:
                dois[normalized] = None
        elif kind == "pmc":
            normalized = normalize_pmcid(value)
            if normalized:
                pmcids[normalized] = None
        else:  # isbn
            normalized = isbn13(value)
            if normalized:
                isbns[normalized] = None
    if not (urls or pmids or pmcids or dois or isbns):
        return _EMPTY_SOURCING
    source = url_nlm
    if source is None and pmids:
        source = "pubmed"
    if source is None and pmcids:
        source = "pmc"
    identifiers = new_identifiers(tuple(pmids), tuple(pmcids), tuple(dois), tuple(isbns), tuple(urls))
    return new_sourcing(identifiers, source, nih_other)


def _links_only(content: str) -> Sourcing:
    """`sourcing` of content in which only the link branches of _IDENTIFIER_RE can match. Most links carry
    no NLM source, NIH host or identifier: the per-kind bookkeeping is done only when one does."""
    facts_of: dict[str, LinkFacts] = {}  # normalized URL -> its facts, first-seen order
    plain = True
    for link in _LINK_RE.findall(content):
        facts = link_facts(link)
        if facts is None or facts[0] in facts_of:
            continue
        facts_of[facts[0]] = facts
        if plain and (facts[1] is not None or facts[2] or facts[3] is not None or facts[4] is not None
                      or facts[5] is not None):
            plain = False
    if not facts_of:
        return _EMPTY_SOURCING
    if plain:
        return new_sourcing(new_identifiers((), (), (), (), tuple(facts_of)), None, False)
    pmids: dict[str, None] = {}
    pmcids: dict[str, None] = {}
    dois: dict[str, None] = {}
    url_nlm: str | None = None
    nih_other = False
    for _normalized, source, nih, pmid, pmcid, doi in facts_of.values():
        if source and url_nlm is None:
            url_nlm = source
        if nih:
            nih_other = True
        if pmid:
            pmids[pmid] = None
        if pmcid:
            pmcids[pmcid] = None
        if doi:
            dois[doi] = None
    source = url_nlm
    if source is None and pmids:
        source = "pubmed"
    if source is None and pmcids:
        source = "pmc"
    return new_sourcing(new_identifiers(tuple(pmids), tuple(pmcids), tuple(dois), (), tuple(facts_of)), source,
                        nih_other)


def _norm(value: str) -> str:
    return _NON_WORD_RE.sub(" ", value.lower()).strip()


_URL_PARAMS = frozenset(URL_PARAMS)


def _text_key(content: str, templates: list[Template], skip: frozenset[str] = _VOLATILE_PARAMS) -> str:
    """Templates as sorted, case-folded parameters without maintenance fields; free text lower-cased with
    punctuation and markup folded away."""
    if not templates:
        return _norm(_MARKUP_RE.sub(" ", content))
    parts: list[str] = []
    for template in templates:
        fields = sorted(
            k.lower().strip() + "=" + normalized for k, v in template.params
            if k.lower().strip() not in skip and (normalized := _norm(v))
        )
        parts.append(template.key + "(" + ";".join(fields) + ")")
    outside: list[str] = []
    cursor = 0
    for template in sorted(templates, key=lambda t: t.span[0]):
        if template.span[0] >= cursor:
            outside.append(content[cursor:template.span[0]])
            cursor = template.span[1]
    outside.append(content[cursor:])
    rest = _norm(_MARKUP_RE.sub(" ", " ".join(outside)))
    return " ".join(parts) + (" | " + rest if rest else "")


@lru_cache(maxsize=_CACHE_SIZE)
def structure(content: str) -> Structure:
    """Templates (with parameters) inside a citation, and its normalized identity text."""
    content = strip_comments(content)
    templates = scan(content).templates
    loose = ""
    if any(t.get("title") for t in templates):
        # A titled citation whose link moved (a new host, an archive in place of the original) is still the
        # same citation: compare it without its URLs too.
        loose = _text_key(content, templates, _VOLATILE_PARAMS | _URL_PARAMS)
    return Structure(tuple(templates), _text_key(content, templates), loose)


def clear_caches() -> None:
    """Forget every cached analysis and normalization (benchmarks use this to measure cold work)."""
    sourcing.cache_clear()
    structure.cache_clear()
    for cached in (normalize_url, classify_url, ids_from_url, url_facts, parse_attributes, template_key):
        cached.cache_clear()
    from .extract import _recent_page  # extract imports this module: a top-level import would be a cycle

    _recent_page.cache_clear()
