"""Content analysis of one citation: identifiers and NLM source (`sourcing`), templates and identity text
(`structure`). Both are pure functions of the content string, cached so that the unchanged citations of a
parent/child pair are analysed once."""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from .caching import memoized
from .identifiers import (
    _DOI_HOSTS,
    _MAY_STRIP_AT_END,
    ID_TEMPLATES,
    URL_PARAMS,
    LinkFacts,
    _drop_tracking,
    isbn13,
    link_facts,
    nlm_source,
    normalize_doi,
    normalize_pmcid,
    normalize_pmid,
)
from .model import Identifiers, Sourcing, Structure, Template, new_identifiers, new_sourcing
from .scanner import scan

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


@memoized(maxsize=_CACHE_SIZE)
def sourcing(content: str) -> Sourcing:
    """Identifiers and NLM source of a citation's content (one regex pass; no template parse needed).

    The bookkeeping of the reference IdentifierCollector (tests/wikicite/reference.py: first-seen order, no
    duplicates, the source by `identifiers.nlm_source`), inlined: this runs for every footnote of every page,
    and the collector's method calls and a cache lookup per link step cost more than the regex pass itself."""
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
            normalized = facts.normalized
            if normalized in urls:
                continue
            urls[normalized] = None
            if not (facts.nlm_source or facts.nih_other or facts.pmid or facts.pmcid or facts.doi):
                continue  # most links: no NLM source, not NIH, no identifier
            if facts.nlm_source and url_nlm is None:
                url_nlm = facts.nlm_source
            if facts.nih_other:
                nih_other = True
            if facts.pmid:
                pmids[facts.pmid] = None
            if facts.pmcid:
                pmcids[facts.pmcid] = None
            if facts.doi:
                dois[facts.doi] = None
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
    identifiers = new_identifiers(tuple(pmids), tuple(pmcids), tuple(dois), tuple(isbns), tuple(urls))
    return new_sourcing(identifiers, nlm_source(url_nlm, bool(pmids), bool(pmcids)), nih_other)


def _links_only(content: str) -> Sourcing:
    """`sourcing` of content in which only the link branches of _IDENTIFIER_RE can match. Most links carry
    no NLM source, NIH host or identifier: the per-kind bookkeeping is done only when one does."""
    facts_of: dict[str, LinkFacts] = {}  # normalized URL -> its facts, first-seen order
    plain = True
    for link in _LINK_RE.findall(content):
        facts = link_facts(link)
        if facts is None or facts.normalized in facts_of:
            continue
        facts_of[facts.normalized] = facts
        if plain and (facts.nlm_source or facts.nih_other or facts.pmid or facts.pmcid or facts.doi):
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
    for facts in facts_of.values():
        if facts.nlm_source and url_nlm is None:
            url_nlm = facts.nlm_source
        if facts.nih_other:
            nih_other = True
        if facts.pmid:
            pmids[facts.pmid] = None
        if facts.pmcid:
            pmcids[facts.pmcid] = None
        if facts.doi:
            dois[facts.doi] = None
    return new_sourcing(new_identifiers(tuple(pmids), tuple(pmcids), tuple(dois), (), tuple(facts_of)),
                        nlm_source(url_nlm, bool(pmids), bool(pmcids)), nih_other)


# A page's footnote contents joined with JOIN between them, as `tally_sourcing` and extract's short-citation
# search read them: no match of _IDENTIFIER_RE, _LINK_RE or extract's _SHORT_CALL_RE can run across it (every
# tail stops at "<"; "{{", "|", the link lookbehind and the "PMID"/"ISBN" spaces cannot pass it; its "{" is
# next to no other "{"), so the matches in the joined text are each content's own matches, in order.
# test_fast_paths checks this on generated contents.
JOIN = "<{<"
# The link branch again, its match cut in two for `tally_sourcing`'s fast path: the link from "//" on, its
# host part (up to the first "/", "#", "?", "@" or ":") and the rest. The host part's characters are a subset
# of the link's, so the whole match is _LINK_RE's.
_LINK_PARTS_RE = re.compile(
    r":(?:(?<=[hH][tT][tT][pP]:)|(?<=[hH][tT][tT][pP][sS]:))"
    r"(//([^" + _WHITESPACE + r"<>\[\]{}|\"/#?@:]*)([^" + _WHITESPACE + r"<>\[\]{}|\"]*))"
)


def _plain_link(host: str, rest: str) -> str | None:
    """link_facts(link).normalized of the link "//" + host + rest, where host runs to the first "/", "#", "?", "@" or
    ":", when link_facts finds nothing else in it; else None. That is a link whose end link_facts does not strip
    (the caller checks its last character), with no user or port, that is no archive copy and names no .gov
    host, DOI resolver or "/doi/" path: its host lower-cased without "www.", then its path up to any fragment,
    without tracking parameters and trailing slashes. ("i/" in any case is looked for in the whole rest: a
    superset of "/doi/".) link_facts' own steps, without its general cases, for most links of every page."""
    if rest and rest[0] != "/" and rest[0] != "#":
        return None
    if "i/" in rest or "I/" in rest:
        return None
    host = host.lower()
    if host.startswith("www."):
        host = host[4:]
    if "." not in host or "archive" in host or host.endswith("gov") or host in _DOI_HOSTS:
        return None
    if not rest:
        return host
    if "#" in rest:
        rest = rest[:rest.index("#")]
    if "?" in rest:
        rest = _drop_tracking(rest)
    return host + rest.rstrip("/")


# identifiers._ARCHIVE_ORG_RE for a link whose host (as written, lower-cased: the Unicode lower() of a host
# equals one of these only when its ASCII case-folding does) is one of _WAYBACK_HOSTS: the rest after the
# host, split as _LINK_PARTS_RE splits a link (scheme, which link_facts drops, host part, rest).
_WAYBACK_HOSTS = frozenset({"archive.org", "web.archive.org", "wayback.archive.org"})
_WAYBACK_PATH_RE = re.compile(r"/(?:web/)?(?:\d+[a-z_]*|\*)/(?=.)(?:(?:https?:)?//)?([^/#?@:]*)(.*)$",
                              re.IGNORECASE | re.ASCII)


def joined_contents(contents: list[str]) -> tuple[str, list[int]]:
    """The contents joined with JOIN, and where each content after the first starts (ends[i] is the start of
    content i + 1): the content holding offset `at` is bisect_right(ends, at)."""
    step = len(JOIN)
    return JOIN.join(contents), list(accumulate([len(content) + step for content in contents]))


_DOI_SEARCH = re.compile(b"doi").search
_BN_SEARCH = re.compile(b"bn").search
_PM_SEARCH = re.compile(b"pm").search


def _not_links_only(joined: str, ends: list[int]) -> list[int]:
    """The contents (in order) that hold "doi", "pmid", "pmc" or "isbn" in some ASCII case, or a comment: those
    `sourcing` does not send to its links-only path (its test, made on `content.lower()`, can only admit more
    of them: Unicode lower-casing also makes ASCII letters of a few others, such as "İ").

    The test is made on the joined text encoded to Latin-1, one byte per character (any other character is
    "?"), then lower-cased: that maps ASCII letters and nothing else, in place, as the "(?ai:" groups fold case,
    and costs a third of str.lower() on text that is not ASCII."""
    folded = joined.encode("latin-1", "replace").lower()
    find = folded.find
    found: set[int] = set()
    hit = _DOI_SEARCH(folded)  # a literal regex finds these words faster than bytes.find here
    while hit is not None:
        index = bisect_right(ends, hit.start())
        found.add(index)
        hit = _DOI_SEARCH(folded, ends[index])
    hit = _BN_SEARCH(folded)  # "isbn" by its "bn", which starts with a rarer letter
    while hit is not None:
        at = hit.start()
        if folded[at - 2:at] == b"is":
            index = bisect_right(ends, at)
            found.add(index)
            hit = _BN_SEARCH(folded, ends[index])
        else:
            hit = _BN_SEARCH(folded, at + 2)
    at = find(b"!")  # "<!--" by its "!", found by memchr: "!" is rare in footnotes
    while at >= 0:
        if folded[at - 1:at + 3] == b"<!--":
            index = bisect_right(ends, at)
            found.add(index)
            at = find(b"!", ends[index])
        else:
            at = find(b"!", at + 1)
    hit = _PM_SEARCH(folded)  # "pmid" and "pmc" in one search: "pm" is rare in text
    while hit is not None:
        at = hit.start()
        if folded[at + 2:at + 3] == b"c" or folded[at + 2:at + 4] == b"id":
            index = bisect_right(ends, at)
            found.add(index)
            hit = _PM_SEARCH(folded, ends[index])
        else:
            hit = _PM_SEARCH(folded, at + 2)
    return sorted(found)


def tally_sourcing(contents: list[str], joined: str, ends: list[int], by_source: dict[str, int],
                   values: dict[str, set[str]]) -> tuple[int, int]:
    """What `count` adds up from the `sourcing` of each of a page's footnotes, for all of them at once:
    adds each footnote's NLM source to `by_source` and its identifiers to `values` (kind -> set), and returns
    (footnotes with an NLM source, footnotes with nih_other). `joined` and `ends` are joined_contents(contents).

    Most footnotes hold links and nothing else `sourcing` reads: those are not analysed one by one (a call,
    a lower-cased copy, a few tests and two result objects each cost more than their links) but by one
    links-only regex pass over the joined contents, and most of their links (a host that is no .gov or DOI
    resolver, a plain path) are normalized inline; only links that carry an NLM source, an NIH host or an
    identifier are assigned back to their footnote by offset. The other footnotes take `sourcing`'s full path,
    inlined. test_fast_paths checks the tally against a per-footnote sum of `sourcing`."""
    nlm = nih_other = 0
    if not contents:
        return nlm, nih_other
    slow = _not_links_only(joined, ends)
    pmids, pmcids, dois, isbns, urls = (values[kind] for kind in ("pmid", "pmcid", "doi", "isbn", "url"))
    # `sourcing`'s full path for these, without its per-footnote results: duplicates need no removal (the
    # page's sets take each value once, and a repeated link repeats its facts), only the footnote's NLM
    # source and NIH flag are kept apart.
    finditer_all = _IDENTIFIER_RE.finditer
    for index in slow:
        content = contents[index]
        if "<!--" in content:
            content = _COMMENT_RE.sub("", content)
        url_nlm: str | None = None
        nih = has_pmid = has_pmcid = False
        for found in finditer_all(content):
            kind = found.lastgroup
            if kind == "url" or kind == "URL":
                facts = link_facts(found[0])
                if facts is None:
                    continue
                urls.add(facts.normalized)
                if not (facts.nlm_source or facts.nih_other or facts.pmid or facts.pmcid or facts.doi):
                    continue
                if facts.nlm_source and url_nlm is None:
                    url_nlm = facts.nlm_source
                if facts.nih_other:
                    nih = True
                if facts.pmid:
                    pmids.add(facts.pmid)
                    has_pmid = True
                if facts.pmcid:
                    pmcids.add(facts.pmcid)
                    has_pmcid = True
                if facts.doi:
                    dois.add(facts.doi)
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
                    pmids.add(normalized)
                    has_pmid = True
            elif kind == "doi":
                normalized = normalize_doi(value)
                if normalized:
                    dois.add(normalized)
            elif kind == "pmc":
                normalized = normalize_pmcid(value)
                if normalized:
                    pmcids.add(normalized)
                    has_pmcid = True
            else:  # isbn
                normalized = isbn13(value)
                if normalized:
                    isbns.add(normalized)
        source = nlm_source(url_nlm, has_pmid, has_pmcid)
        if source:
            nlm += 1
            by_source[source] += 1
        if nih:
            nih_other += 1
    # The links of the other footnotes: one pass over each run of them between two analysed ones.
    special: dict[int, list[LinkFacts]] = {}  # footnote -> its links with more than a URL, in order
    finditer = _LINK_PARTS_RE.finditer
    add_url = urls.add
    may_strip = _MAY_STRIP_AT_END
    doi_hosts = _DOI_HOSTS
    plain_link = _plain_link
    wayback_hosts = _WAYBACK_HOSTS
    wayback_match = _WAYBACK_PATH_RE.match
    previous = -1
    for index in [*slow, len(contents)]:
        if index > previous + 1:
            start = ends[previous] if previous >= 0 else 0
            for found in finditer(joined, start, ends[index - 1] - len(JOIN)):
                raw, host, rest = found.groups()
                if raw[-1] not in may_strip:  # else link_facts strips its end first
                    # _plain_link(host, rest), inlined for its commonest case: a plain path.
                    if rest and rest[0] == "/" and "?" not in rest and "#" not in rest and "i/" not in rest \
                            and "I/" not in rest:
                        lowered = host.lower()
                        if lowered.startswith("www."):
                            lowered = lowered[4:]
                        if "." in lowered and "archive" not in lowered and not lowered.endswith("gov") \
                                and lowered not in doi_hosts:
                            add_url(lowered + rest.rstrip("/"))
                            continue
                    normalized = plain_link(host, rest)
                    if normalized is None and rest and host.lower() in wayback_hosts:
                        # A Wayback Machine copy, which link_facts unwraps first (identifiers.unwrap_archive):
                        # the copied link, when plain, normalizes like a plain link.
                        wayback = wayback_match(rest)
                        if wayback is not None:
                            normalized = plain_link(*wayback.groups())
                    if normalized is not None:
                        add_url(normalized)
                        continue
                facts = link_facts(raw)
                if facts is None:
                    continue
                add_url(facts.normalized)
                if not (facts.nlm_source or facts.nih_other or facts.pmid or facts.pmcid or facts.doi):
                    continue
                special.setdefault(bisect_right(ends, found.start()), []).append(facts)
        previous = index
    for links in special.values():
        url_nlm = None
        nih = has_pmid = has_pmcid = False
        for facts in links:
            if facts.nlm_source and url_nlm is None:
                url_nlm = facts.nlm_source
            if facts.nih_other:
                nih = True
            if facts.pmid:
                pmids.add(facts.pmid)
                has_pmid = True
            if facts.pmcid:
                pmcids.add(facts.pmcid)
                has_pmcid = True
            if facts.doi:
                dois.add(facts.doi)
        source = nlm_source(url_nlm, has_pmid, has_pmcid)
        if source:
            nlm += 1
            by_source[source] += 1
        if nih:
            nih_other += 1
    return nlm, nih_other


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


@memoized(maxsize=_CACHE_SIZE)
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
