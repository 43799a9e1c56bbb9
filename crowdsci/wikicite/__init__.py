"""Citation engine: wikitext to citations, NLM classification and revision diffs.

Pure Python: imports nothing from Django or any crowdsci app (an import-linter contract keeps it so).

Public API::

    extract(wikitext) -> Page            # citation units, reuses, errors, citation-needed markers
    count(wikitext) -> dict              # the `count` contract (JSON-ready)
    citation_needed(wikitext) -> tuple[CitationNeeded, ...]
    diff(parent, child) -> CitationDiff  # parent None: a new page, all its citations are added
    clear_caches()                       # forget every memoized analysis (benchmarks measure cold work)

Modules, bottom up (no import cycle; tests/wikicite/test_package_shape.py checks it): `model` (the value
types) and `caching` (every memo cache, cleared in one place) import nothing from the package; `scanner` and
`identifiers` build on them, `analysis` (one citation's content) on those, `citation` (Citation analyses itself
lazily, and the results holding citations) on analysis, then `extract` and `diff`.

Command line: ``python -m crowdsci.wikicite count FILE...`` / ``python -m crowdsci.wikicite diff PARENT CHILD``.

Every counting, identity and NLM rule, with an example each and the MediaWiki Cite parser test it comes
from, is in ``crowdsci/wikicite/RULES.md``. In short:

* A footnote is what Cite renders in a reference list, from the text as written (templates not expanded,
  except that ``{{#tag:ref|…}}`` is a ref and ``{{reflist|refs=…}}`` holds list-defined refs).
* Names compare after MediaWiki's attribute decoding (quotes optional, whitespace collapsed and trimmed);
  each group is its own namespace; a ref Cite rejects with a fatal error renders nothing and counts nothing.
* Two citations are the same source when they share a PMID, PMCID, DOI, ISBN-13 or normalized URL, else when
  their normalized text is equal; ``diff`` works on multisets of citations.
* NLM sources: PubMed, PMC, Bookshelf (NBK), MedlinePlus, ClinicalTrials.gov, DailyMed, other *.nlm.nih.gov;
  a ``pmid=``/``pmc=`` parameter makes a citation NLM too.
"""

from .caching import clear_caches
from .citation import Citation, CitationDiff, MatchedPair, Page
from .diff import diff, diff_pages, diff_summary
from .extract import citation_needed, count, extract, page_counts
from .model import CitationNeeded, CiteError, Identifiers, Reuse, Template

__all__ = [
    "Citation",
    "CitationDiff",
    "CitationNeeded",
    "CiteError",
    "Identifiers",
    "MatchedPair",
    "Page",
    "Reuse",
    "Template",
    "citation_needed",
    "clear_caches",
    "count",
    "diff",
    "diff_pages",
    "diff_summary",
    "extract",
    "page_counts",
]
