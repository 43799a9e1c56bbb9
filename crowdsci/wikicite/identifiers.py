"""Identifier normalization (PMID, PMCID, DOI, ISBN, URL) and NLM-source classification.

Every function here is total: it returns None or an empty result for input it cannot read, never raises.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from .model import Identifiers, Template

# A bare or bracketed external link. MediaWiki ends a free link at whitespace, <, >, [, ], quotes and
# (inside templates) at | and }; "''" ends it too but a single apostrophe does not.
URL_RE = re.compile(r"https?://[^\s<>\[\]{}|\"]+", re.IGNORECASE | re.ASCII)
_TRAILING_PUNCT = ".,;:!?'"
DOI_RE = re.compile(r"\b(10\.\d{4,9}/[^\s|}\]<>\"]+)")
# "doi:10.…" in text, and "/doi/10.…" in publisher URLs (www.pnas.org/cgi/doi/10.1073/…).
DOI_TEXT_RE = re.compile(
    r"\bdoi\s*[:/]\s*(?:(?:abs|full|pdf|epdf)/)?(10\.\d{4,9}/[^\s|}\]<>\"]+)", re.IGNORECASE | re.ASCII
)
PMID_TEXT_RE = re.compile(r"\bPMID[\s:]+(\d{1,9})\b")
ISBN_TEXT_RE = re.compile(r"\bISBN(?:-1[03])?:?[ \t]+((?:97[89][- ]?)?(?:\d[- ]?){9}[\dXx])\b")
_DIGITS_RE = re.compile(r"\d+")
_ARCHIVE_ORG_RE = re.compile(
    r"^(?:web\.|wayback\.)?archive\.org/(?:web/)?(?:\d+[a-z_]*|\*)/(.+)$", re.IGNORECASE | re.ASCII
)
_ARCHIVE_TODAY_RE = re.compile(
    r"^archive\.(?:today|ph|is|li|vn|fo|md)/(?:o/[^/]+/|\d{4}[.\d-]*/)?((?:https?:)?//.+|[a-z0-9.-]+\.[a-z]{2,}/.*)$",
    re.IGNORECASE | re.ASCII,
)
_PUBMED_PATH_RE = re.compile(r"^/(?:entrez/query\.fcgi\?.*?list_uids=|pubmed/?\??(?:term=)?)?(\d{1,9})", re.I)
_PMC_PATH_RE = re.compile(r"(?:^|/)(?:pmc/)?articles/(pmc\d+)", re.IGNORECASE | re.ASCII)
_DOI_PATH_RE = re.compile(r"/doi/(?:(?:abs|full|pdf|epdf)/)?(10\.\d{4,9}/.+)", re.IGNORECASE | re.ASCII)
_DOI_HOSTS = frozenset({"doi.org", "dx.doi.org"})

PMID_PARAMS = ("pmid",)
PMC_PARAMS = ("pmc", "pmcid")
DOI_PARAMS = ("doi",)
ISBN_PARAMS = ("isbn", "isbn13", "isbn10")
URL_PARAMS = ("url", "chapter-url", "chapterurl", "article-url", "contribution-url", "section-url", "archive-url",
              "archiveurl", "transcript-url", "conference-url", "map-url", "lay-url")
# Templates whose first positional parameter is an identifier, e.g. {{PMID|123}} or {{doi|10.1/x}}.
ID_TEMPLATES = {"pmid": "pmid", "pmc": "pmc", "pmcid": "pmc", "doi": "doi", "isbn": "isbn", "cite pmid": "pmid",
                "cite doi": "doi", "cite pmc": "pmc"}


def normalize_pmid(value: str) -> str | None:
    """'PMID: 012345' → '12345'. None when there is no number."""
    found = _DIGITS_RE.search(value or "")
    if not found:
        return None
    digits = found.group().lstrip("0")
    return digits or None


def normalize_pmcid(value: str) -> str | None:
    """'2323', 'PMC2323', 'pmc 2323' → 'PMC2323'."""
    found = _DIGITS_RE.search(value or "")
    if not found:
        return None
    digits = found.group().lstrip("0")
    return "PMC" + digits if digits else None


def normalize_doi(value: str) -> str | None:
    """Lower-case DOI without resolver prefix or trailing punctuation: 'https://doi.org/10.1/AB.' → '10.1/ab'."""
    found = DOI_RE.search(value or "")
    if not found:
        return None
    doi = found.group(1).rstrip(_TRAILING_PUNCT + ")")
    doi = doi.replace("%2F", "/").replace("%2f", "/")
    return doi.lower()


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


_NOT_ISBN_CHAR_RE = re.compile(r"[^0-9X]+")


def isbn13(value: str) -> str | None:
    """`normalize_isbn`, with its per-character loop and checksum generator done by one regex call and
    arithmetic (it runs for every ISBN of every footnote; the reference code in the benchmark keeps using
    normalize_isbn). test_fast_paths checks the two agree."""
    text = _NOT_ISBN_CHAR_RE.sub("", (value or "").upper())
    if len(text) == 13:
        return text if text.isdigit() else None
    if len(text) == 10 and text[:9].isdigit():
        d = text
        # "978" weighs 9*1 + 7*3 + 8*1 = 38; the nine digits after it weigh 3, 1, 3, …
        total = 38 + 3 * (int(d[0]) + int(d[2]) + int(d[4]) + int(d[6]) + int(d[8])) \
            + int(d[1]) + int(d[3]) + int(d[5]) + int(d[7])
        return "978" + d[:9] + str((10 - total % 10) % 10)
    return None


_SCHEME_RE = re.compile(r"^(?:https?:)?//", re.IGNORECASE | re.ASCII)


def unwrap_archive(url: str) -> str:
    """The original URL of a web-archive copy (web.archive.org, archive.today and mirrors); others unchanged."""
    for _ in range(3):  # an archive of an archive is possible; three levels is plenty and keeps this bounded
        if "archive" not in url.lower():
            return url
        bare = _SCHEME_RE.sub("", url)
        found = _ARCHIVE_ORG_RE.match(bare) or _ARCHIVE_TODAY_RE.match(bare)
        if not found:
            return url
        url = found.group(1)
    return url


def _drop_scheme(url: str) -> str:
    """`_SCHEME_RE.sub("", url)` without the regex call (this runs once per URL of every citation)."""
    head = url[:8].lower()
    if head.startswith("https://"):
        return url[8:]
    if head.startswith("http://"):
        return url[7:]
    if head.startswith("//"):
        return url[2:]
    return url


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
    head = url[:8].lower()  # _drop_scheme, inlined
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


_TRACKING_PREFIXES = ("utm_", "fbclid", "gclid", "ocid", "cmpid", "mc_cid", "mc_eid", "_ga")


def _drop_tracking(path: str) -> str:
    """Drop analytics parameters (utm_*, fbclid, …): they do not change the page a link points at."""
    base, query = path.split("?", 1)
    kept = [item for item in query.split("&") if item and not item.lower().startswith(_TRACKING_PREFIXES)]
    return base + ("?" + "&".join(kept) if kept else "")


@lru_cache(maxsize=65536)
def classify_url(normalized: str) -> tuple[str | None, bool]:
    """(nlm_source, nih_other) for a normalized URL. See the package docstring for the host rules."""
    slash = normalized.find("/")
    host, path = (normalized, "") if slash < 0 else (normalized[:slash], normalized[slash:])
    lower_path = path.lower()
    if host == "pubmed.ncbi.nlm.nih.gov":
        return "pubmed", False
    if host == "pmc.ncbi.nlm.nih.gov":
        return "pmc", False
    if host == "ncbi.nlm.nih.gov":
        if lower_path.startswith(("/pubmed", "/entrez")):
            return "pubmed", False
        if lower_path.startswith("/pmc"):
            return "pmc", False
        if lower_path.startswith("/books/nbk"):
            return "bookshelf", False
        return "nlm-other", False
    if host == "medlineplus.gov" or host.endswith(".medlineplus.gov"):
        return "medlineplus", False
    if host == "clinicaltrials.gov" or host.endswith(".clinicaltrials.gov"):
        return "clinicaltrials", False
    if host == "dailymed.nlm.nih.gov":
        return "dailymed", False
    if host == "nlm.nih.gov" or host.endswith(".nlm.nih.gov"):
        return "nlm-other", False
    if host == "nih.gov" or host.endswith(".nih.gov"):
        return None, True
    return None, False


@lru_cache(maxsize=65536)
def ids_from_url(normalized: str) -> tuple[str | None, str | None, str | None]:
    """(pmid, pmcid, doi) that a normalized URL names, e.g. a PubMed record or a doi.org link."""
    slash = normalized.find("/")
    host, path = (normalized, "") if slash < 0 else (normalized[:slash], normalized[slash:])
    if host in _DOI_HOSTS:
        return None, None, normalize_doi(path[1:])
    if host == "pubmed.ncbi.nlm.nih.gov" or (host == "ncbi.nlm.nih.gov" and path.lower().startswith(("/pubmed",
                                                                                                      "/entrez"))):
        found = _PUBMED_PATH_RE.match(path)
        return (normalize_pmid(found.group(1)) if found else None), None, None
    if host in ("ncbi.nlm.nih.gov", "pmc.ncbi.nlm.nih.gov"):
        found = _PMC_PATH_RE.search(path)
        if found:
            return None, normalize_pmcid(found.group(1)), None
    if "/doi/" in path.lower():
        # Publisher links such as www.pnas.org/cgi/doi/10.1073/pnas.1313587110 carry the DOI in the path.
        found = _DOI_PATH_RE.search(path)
        if found:
            return None, None, normalize_doi(found.group(1))
    return None, None, None


LinkFacts = tuple[str, str | None, bool, str | None, str | None, str | None]
# A link's last characters that normalize_url may strip: whitespace, trailing punctuation, ")".
_MAY_STRIP_AT_END = frozenset(_TRAILING_PUNCT + ")" + "".join(chr(c) for c in range(0x3001) if chr(c).isspace()))


def link_facts(raw: str) -> LinkFacts | None:
    """Everything a raw link contributes: (normalized URL, nlm_source, nih_other, pmid, pmcid, doi), or None
    when it does not normalize. Equal to normalize_url + classify_url + ids_from_url.

    normalize_url's steps, rewritten with offsets (one lower() of the link, finds instead of slices) because
    every link of every footnote goes through here; test_fast_paths checks it against the three functions.
    Not cached: a cache miss costs a fifth of the work, and links rarely repeat outside repeated citations,
    which `analysis.sourcing` caches whole."""
    if not raw:
        return None
    url = raw
    if url[-1] in _MAY_STRIP_AT_END or url[0].isspace():  # else strip, rstrip and the ")" rule change nothing
        url = url.strip().rstrip(_TRAILING_PUNCT)
        if url[-1:] == ")" and "(" not in url:
            url = url.rstrip(")")
        if not url:
            return None
    lowered = url.lower()
    if "archive" in lowered:
        url = unwrap_archive(url)
        lowered = url.lower()
    # url.lower() starts with the lower-cased first characters (lower() maps each character on its own), so
    # these tests agree with normalize_url's url[:8].lower() ones; the three prefixes exclude each other.
    if lowered.startswith("//"):
        start = 2
    elif lowered.startswith("https://"):
        start = 8
    elif lowered.startswith("http://"):
        start = 7
    else:
        start = 0
    end = url.find("#", start)
    if end < 0:
        end = len(url)
    slash = url.find("/", start, end)
    # An ASCII link lowers character by character, so its host can be cut from `lowered`.
    source_of_host = lowered if url.isascii() else url
    if slash < 0:
        host = source_of_host[start:end]
        path = ""
    else:
        host = source_of_host[start:slash]
        path = url[slash:end]
    if source_of_host is url:
        host = host.lower()
    if "@" in host:
        host = host.rpartition("@")[2]
    if ":" in host and host.endswith((":80", ":443")):
        host = host.rsplit(":", 1)[0]
    if host.startswith("www."):
        host = host[4:]
    if "." not in host:
        return None
    normalized = host
    if path:
        if "?" in path:
            path = _drop_tracking(path)
        normalized += path.rstrip("/")
    # Every host classify_url names ends in "gov", and ids_from_url reads only those, the DOI resolvers and
    # "/doi/" paths: any other link is (normalized, None, False, None, None, None) without the two calls.
    # ("/doi/" is looked for in the whole lower-cased link: a superset of its normalized path, which is safe.)
    if host.endswith("gov") or host in _DOI_HOSTS or "/doi/" in lowered:
        source, nih = classify_url.__wrapped__(normalized)
        return (normalized, source, nih, *ids_from_url.__wrapped__(normalized))
    return (normalized, None, False, None, None, None)


@lru_cache(maxsize=65536)
def url_facts(raw: str) -> LinkFacts | None:
    """`link_facts`, cached."""
    return link_facts(raw)


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

    def add_templates(self, templates: Iterable[Template]) -> None:
        for template in templates:
            by_name = ID_TEMPLATES.get(template.key)
            if by_name:
                first = template.get("1", "id")
                if first:
                    self.add(by_name, first)
            for name, value in template.params:
                if not value:
                    continue
                lowered = name.lower()
                if lowered in PMID_PARAMS:
                    self.add("pmid", value)
                elif lowered in PMC_PARAMS:
                    self.add("pmc", value)
                elif lowered in DOI_PARAMS:
                    self.add("doi", value)
                elif lowered in ISBN_PARAMS:
                    self.add("isbn", value)

    def add_text(self, text: str) -> None:
        """Free-text identifiers: links, 'doi:10…', 'PMID 123' and 'ISBN …' magic words."""
        if "//" in text:
            for found in URL_RE.finditer(text):
                self.add_url(found.group())
        if "10." in text:
            for found in DOI_TEXT_RE.finditer(text):
                self.add("doi", found.group(1))
        if "PMID" in text:
            for found in PMID_TEXT_RE.finditer(text):
                self.add("pmid", found.group(1))
        if "ISBN" in text:
            for found in ISBN_TEXT_RE.finditer(text):
                self.add("isbn", found.group(1))

    def result(self) -> tuple[Identifiers, str | None, bool]:
        """(identifiers, nlm_source, nih_other). A linked NLM page decides the source; else a PMID, else a PMCID."""
        identifiers = Identifiers(
            pmid=tuple(self.pmid), pmcid=tuple(self.pmcid), doi=tuple(self.doi), isbn=tuple(self.isbn),
            url=tuple(self.url),
        )
        source = self.url_nlm
        if source is None and self.pmid:
            source = "pubmed"
        if source is None and self.pmcid:
            source = "pmc"
        return identifiers, source, self.nih_other
