"""The plain versions of the engine's hand-inlined identifier code, kept as references for the tests and the
benchmark (bench/bench_wikicite.py imports this module): each is the obvious way to write the rule, and
test_fast_paths checks the engine's fast path against it.

* `normalize_url` + `classify_url` + `ids_from_url` is what `identifiers.link_facts` does in one pass;
* `normalize_isbn` is `identifiers.isbn13` with its per-character loop and checksum generator;
* `IdentifierCollector` is the first-seen, no-duplicates bookkeeping that `analysis.sourcing` inlines.

The URL functions are cached as the engine's were when it used them (the benchmark's reference shares them
with equal cache sizes); `clear_caches` empties those caches.
"""

from __future__ import annotations

import re
from functools import lru_cache

from crowdsci.wikicite import identifiers
from crowdsci.wikicite.identifiers import (
    _TRAILING_PUNCT,
    LinkFacts,
    _drop_tracking,
    link_facts,
    nlm_source,
    normalize_doi,
    normalize_pmcid,
    normalize_pmid,
    unwrap_archive,
)
from crowdsci.wikicite.model import Identifiers

# A bare or bracketed external link. MediaWiki ends a free link at whitespace, <, >, [, ], quotes and
# (inside templates) at | and }; "''" ends it too but a single apostrophe does not.
URL_RE = re.compile(r"https?://[^\s<>\[\]{}|\"]+", re.IGNORECASE | re.ASCII)

classify_url = lru_cache(maxsize=65536)(identifiers.classify_url)
ids_from_url = lru_cache(maxsize=65536)(identifiers.ids_from_url)


def normalize_isbn(value: str) -> str | None:
    """An ISBN-10 or ISBN-13 as 13 digits ('0-19-852663-6' → '9780198526636'); None when not 10/13 digits."""
    # ASCII digits only: str.isdigit() also accepts "²" and other digits int() cannot read.
    chars = [c for c in (value or "").upper() if c in "0123456789X"]
    text = "".join(chars)
    if len(text) == 13 and text.isdigit():
        return text
    if len(text) == 10 and text[:9].isdigit():
        core = "978" + text[:9]
        total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(core))
        return core + str((10 - total % 10) % 10)
    return None


@lru_cache(maxsize=65536)
def normalize_url(url: str) -> str | None:
    """Identity form of a URL: archive unwrapped; scheme, 'www.', fragment and trailing slash dropped; host lower.

    'https://web.archive.org/web/2019/http://www.Example.com/a/#x' → 'example.com/a'.
    """
    # Trailing punctuation (and an unbalanced closing parenthesis) is not part of a link.
    url = (url or "").strip().rstrip(_TRAILING_PUNCT)
    if url.endswith(")") and "(" not in url:
        url = url.rstrip(")")
    if not url:
        return None
    if "archive" in url.lower():  # unwrap_archive's own first test, made here to skip the call for most links
        url = unwrap_archive(url)
    head = url[:8].lower()
    if head.startswith("https://"):
        url = url[8:]
    elif head.startswith("http://"):
        url = url[7:]
    elif head.startswith("//"):
        url = url[2:]
    fragment = url.find("#")
    if fragment >= 0:
        url = url[:fragment]
    slash = url.find("/")
    host, path = (url, "") if slash < 0 else (url[:slash], url[slash:])
    host = host.lower().rpartition("@")[2]
    if host.endswith((":80", ":443")):
        host = host.rsplit(":", 1)[0]
    if host.startswith("www."):
        host = host[4:]
    if not host or "." not in host:
        return None
    if "?" in path:
        path = _drop_tracking(path)
    return host + path.rstrip("/")


@lru_cache(maxsize=65536)
def url_facts(raw: str) -> LinkFacts | None:
    """`link_facts`, cached."""
    return link_facts(raw)


def clear_caches() -> None:
    """Forget what this module's cached functions remember (the engine's own: crowdsci.wikicite.clear_caches)."""
    for cached in (normalize_url, classify_url, ids_from_url, url_facts):
        cached.cache_clear()


class IdentifierCollector:
    """Accumulates identifiers in first-seen order, without duplicates."""

    __slots__ = ("doi", "isbn", "nih_other", "pmcid", "pmid", "url", "url_nlm")

    def __init__(self) -> None:
        self.pmid: dict[str, None] = {}
        self.pmcid: dict[str, None] = {}
        self.doi: dict[str, None] = {}
        self.isbn: dict[str, None] = {}
        self.url: dict[str, None] = {}
        self.url_nlm: str | None = None
        self.nih_other = False

    def add_url(self, raw: str) -> None:
        normalized = normalize_url(raw)
        if not normalized or normalized in self.url:
            return
        self.url[normalized] = None
        source, nih = classify_url(normalized)
        if source and self.url_nlm is None:
            self.url_nlm = source
        self.nih_other = self.nih_other or nih
        pmid, pmcid, doi = ids_from_url(normalized)
        if pmid:
            self.pmid[pmid] = None
        if pmcid:
            self.pmcid[pmcid] = None
        if doi:
            self.doi[doi] = None

    def add(self, kind: str, raw: str) -> None:
        if kind == "pmid":
            value = normalize_pmid(raw)
            if value:
                self.pmid[value] = None
        elif kind == "pmc":
            value = normalize_pmcid(raw)
            if value:
                self.pmcid[value] = None
        elif kind == "doi":
            value = normalize_doi(raw)
            if value:
                self.doi[value] = None
        elif kind == "isbn":
            value = normalize_isbn(raw)
            if value:
                self.isbn[value] = None
        elif kind == "url":
            self.add_url(raw)

    def result(self) -> tuple[Identifiers, str | None, bool]:
        """(identifiers, nlm_source, nih_other), the source by the engine's one NLM rule."""
        identifiers = Identifiers(
            pmid=tuple(self.pmid), pmcid=tuple(self.pmcid), doi=tuple(self.doi), isbn=tuple(self.isbn),
            url=tuple(self.url),
        )
        return identifiers, nlm_source(self.url_nlm, bool(self.pmid), bool(self.pmcid)), self.nih_other
