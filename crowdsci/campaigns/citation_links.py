"""The citations an edit added, as the pages list them: each identifier with its label and, when it is well formed,
a link to PubMed, PMC, NCBI Bookshelf, ClinicalTrials.gov or the DOI resolver.

The identifiers come from public wikitext (through the citation engine's normalization), so nothing here trusts
them: a link is built only from a value that matches its kind's strict pattern (anything else is shown as text),
a DOI is percent-encoded into the resolver's path, and the templates escape every label and value as usual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from django.utils.translation import gettext_lazy as _

from crowdsci.campaigns.models import TrackedEdit

# kind: (label, strict pattern of a linkable value, link template). A kind without a pattern is shown as text.
_PMID = re.compile(r"[1-9][0-9]{0,9}", re.ASCII)
_PMCID = re.compile(r"PMC[1-9][0-9]{0,9}", re.ASCII)
_NBK = re.compile(r"NBK[0-9]{1,9}", re.ASCII)
_NCT = re.compile(r"NCT[0-9]{8}", re.ASCII)
# A DOI as the engine normalizes it: "10." registrant "/" suffix of visible characters, no space or markup.
_DOI = re.compile(r"10\.[0-9]{4,9}/[\x21-\x7e\u00a0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]{1,280}")
_DOI_UNSAFE = re.compile(r"[<>\"\\`{}|^]")

LABELS = {
    "pmid": _("PMID"),
    "pmcid": _("PMCID"),
    "nbk": "",  # NBK… and NCT… say what they are, and the source chip says where
    "nct": "",
    "doi": _("DOI"),
    "isbn": _("ISBN"),
    "url": _("Link"),
}


@dataclass(frozen=True)
class IdentifierLink:
    kind: str
    label: str
    value: str
    url: str | None  # None: shown as text


@dataclass(frozen=True)
class AddedCitation:
    source: str | None  # the NLM source ("pubmed", "bookshelf", ...) or None
    identifiers: tuple[IdentifierLink, ...]


@dataclass(frozen=True)
class AddedCitations:
    citations: tuple[AddedCitation, ...]
    more: int  # added citations not listed (beyond the kept ones)

    def __bool__(self) -> bool:
        return bool(self.citations) or self.more > 0


def identifier_url(kind: str, value: str) -> str | None:
    """The address of an identifier of a linkable kind whose value is well formed, else None."""
    if kind == "pmid" and _PMID.fullmatch(value):
        return f"https://pubmed.ncbi.nlm.nih.gov/{value}/"
    if kind == "pmcid" and _PMCID.fullmatch(value):
        return f"https://pmc.ncbi.nlm.nih.gov/articles/{value}/"
    if kind == "nbk" and _NBK.fullmatch(value):
        return f"https://www.ncbi.nlm.nih.gov/books/{value}/"
    if kind == "nct" and _NCT.fullmatch(value):
        return f"https://clinicaltrials.gov/study/{value}"
    if kind == "doi" and _DOI.fullmatch(value) and not _DOI_UNSAFE.search(value):
        return "https://doi.org/" + quote(value, safe="/:;()")
    return None


def _identifier(pair: object) -> IdentifierLink | None:
    if not isinstance(pair, list | tuple) or len(pair) != 2:
        return None
    kind, value = pair
    if not isinstance(kind, str) or not isinstance(value, str) or not value:
        return None
    label = LABELS.get(kind)
    if label is None:  # a kind this version does not know: left out
        return None
    return IdentifierLink(kind, str(label), value, identifier_url(kind, value))


def added_citations(edit: TrackedEdit, limit: int = TrackedEdit.CITATIONS_KEPT) -> AddedCitations:
    """The first ``limit`` citations of the edit's stored list, checked item by item (a malformed item is left
    out), and how many more it added than are listed. Nothing when the list is not known."""
    stored = edit.added_citations
    if not isinstance(stored, list):
        return AddedCitations((), 0)
    shown = stored[: max(0, min(limit, TrackedEdit.CITATIONS_KEPT))]
    citations = []
    for item in shown:
        if not isinstance(item, dict):
            continue
        source = item.get("source")
        ids = item.get("ids")
        identifiers = tuple(link for pair in (ids if isinstance(ids, list) else []) if (link := _identifier(pair)))
        citations.append(AddedCitation(source if isinstance(source, str) else None, identifiers))
    more = max(0, (edit.citations_added or 0) - len(shown))
    return AddedCitations(tuple(citations), more)
