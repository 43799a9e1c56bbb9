"""Identifier normalization (PMID, PMCID, DOI, ISBN, URL) and NLM-source classification.

Every function here is total: it returns None or an empty result for input it cannot read, never raises.
"""

from __future__ import annotations

import re
from typing import NamedTuple

_TRAILING_PUNCT = ".,;:!?'"
DOI_RE = re.compile(r"\b(10\.\d{4,9}/[^\s|}\]<>\"]+)")
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


_NOT_ISBN_CHAR_RE = re.compile(r"[^0-9X]+")


def isbn13(value: str) -> str | None:
    """An ISBN-10 or ISBN-13 as 13 digits ('0-19-852663-6' → '9780198526636'); None when not 10/13 digits.

    Its loop-free form (one regex call and arithmetic: it runs for every ISBN of every footnote) is checked by
    test_fast_paths against the plain version, `normalize_isbn` in tests/wikicite/reference.py."""
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


_TRACKING_PREFIXES = ("utm_", "fbclid", "gclid", "ocid", "cmpid", "mc_cid", "mc_eid", "_ga")


def _drop_tracking(path: str) -> str:
    """Drop analytics parameters (utm_*, fbclid, …): they do not change the page a link points at."""
    base, query = path.split("?", 1)
    kept = [item for item in query.split("&") if item and not item.lower().startswith(_TRACKING_PREFIXES)]
    return base + ("?" + "&".join(kept) if kept else "")


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


class LinkFacts(NamedTuple):
    """Everything one link contributes to a citation's sourcing."""

    normalized: str  # the link's identity form (see RULES.md, "URL")
    nlm_source: str | None  # classify_url's NLM source of the link
    nih_other: bool  # an NIH host that is no NLM source
    pmid: str | None  # the identifiers the link names (ids_from_url)
    pmcid: str | None
    doi: str | None


_new_tuple = tuple.__new__


def _facts(normalized: str, nlm_source: str | None, nih_other: bool, pmid: str | None, pmcid: str | None,
           doi: str | None) -> LinkFacts:
    """LinkFacts(…) built in one C call, without the named tuple's Python-level __new__ (one per link)."""
    return _new_tuple(LinkFacts, (normalized, nlm_source, nih_other, pmid, pmcid, doi))


def nlm_source(linked: str | None, has_pmid: bool, has_pmcid: bool) -> str | None:
    """The NLM source of a citation (RULES.md, "NLM sources"): its first NLM link decides; without one, a PMID
    makes it PubMed's and else a PMCID makes it PMC's."""
    if linked is not None:
        return linked
    if has_pmid:
        return "pubmed"
    if has_pmcid:
        return "pmc"
    return None


# A link's last characters that link_facts strips first: whitespace, trailing punctuation, ")".
_MAY_STRIP_AT_END = frozenset(_TRAILING_PUNCT + ")" + "".join(chr(c) for c in range(0x3001) if chr(c).isspace()))


def link_facts(raw: str) -> LinkFacts | None:
    """Everything a raw link contributes (LinkFacts), or None when it does not normalize.

    The URL identity rule of RULES.md written with offsets (one lower() of the link, finds instead of slices)
    because every link of every footnote goes through here; test_fast_paths checks it against the plain
    version (normalize_url, then classify_url and ids_from_url: tests/wikicite/reference.py).
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
    # these tests agree with a test of url[:8].lower(); the three prefixes exclude each other.
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
        source, nih = classify_url(normalized)
        pmid, pmcid, doi = ids_from_url(normalized)
        return _facts(normalized, source, nih, pmid, pmcid, doi)
    return _facts(normalized, None, False, None, None, None)
