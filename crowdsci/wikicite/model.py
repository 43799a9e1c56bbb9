"""Value types of the citation engine. All frozen: results are values, safe to share and cache.

A leaf module: it imports nothing from the package, so every other module can build on it. Citation, which
analyses its own content on first access, and the results that hold citations (Page, CitationDiff) are in
`citation.py`, above the analysis they call."""

from __future__ import annotations

from dataclasses import dataclass

NLM_SOURCES: tuple[str, ...] = ("pubmed", "pmc", "bookshelf", "medlineplus", "clinicaltrials", "dailymed", "nlm-other")
IDENTIFIER_KINDS: tuple[str, ...] = ("pmid", "pmcid", "doi", "isbn", "url")


@dataclass(frozen=True, slots=True)
class Template:
    """One template call: `name` as written (trimmed), `key` normalized for lookups, parameters in order.

    Positional parameters get the keys "1", "2", …; named values are trimmed, as MediaWiki trims them.
    """

    name: str
    key: str
    params: tuple[tuple[str, str], ...]
    span: tuple[int, int]

    def get(self, *names: str) -> str | None:
        """The last value of the first of `names` that is present (MediaWiki: a repeated parameter's last wins)."""
        for wanted in names:
            found = None
            for param_name, value in self.params:
                if param_name == wanted:
                    found = value
            if found is not None:
                return found
        return None


@dataclass(frozen=True, slots=True)
class Identifiers:
    """Normalized identifiers of one citation (see the package docstring for the normalization rules)."""

    pmid: tuple[str, ...] = ()
    pmcid: tuple[str, ...] = ()
    doi: tuple[str, ...] = ()
    isbn: tuple[str, ...] = ()
    url: tuple[str, ...] = ()

    def identity_keys(self) -> tuple[str, ...]:
        """Identity keys such as "doi:10.1000/x", strongest kinds first."""
        return (
            tuple("pmid:" + v for v in self.pmid)
            + tuple("pmcid:" + v for v in self.pmcid)
            + tuple("doi:" + v for v in self.doi)
            + tuple("isbn:" + v for v in self.isbn)
            + tuple("url:" + v for v in self.url)
        )

    def count(self) -> int:
        return len(self.pmid) + len(self.pmcid) + len(self.doi) + len(self.isbn) + len(self.url)


@dataclass(frozen=True, slots=True)
class Sourcing:
    """Where a citation points: its identifiers and NLM classification."""

    identifiers: Identifiers
    nlm_source: str | None
    nih_other: bool


@dataclass(frozen=True, slots=True)
class Structure:
    """How a citation is written: its templates and its normalized identity text."""

    templates: tuple[Template, ...]
    text_key: str
    loose_key: str = ""


@dataclass(frozen=True, slots=True)
class Reuse:
    """A further mark pointing at an already-counted footnote."""

    name: str
    group: str
    span: tuple[int, int]


@dataclass(frozen=True, slots=True)
class CitationNeeded:
    """One {{citation needed}}-family marker."""

    template: str
    date: str | None
    section: str
    sentence: str
    span: tuple[int, int]


@dataclass(frozen=True, slots=True)
class CiteError:
    """A ref that Cite rejects; `code` is Cite's message key (e.g. cite_error_ref_no_input)."""

    code: str
    span: tuple[int, int]


# Fast constructors for the engine's hot paths. A frozen dataclass's generated __init__ sets each field through
# object.__setattr__ (it must bypass its own __setattr__), which costs about twice as much as writing the slots
# (or the instance dict) directly. These build the very same instances, field for field; they run once per
# footnote on every page, so the difference shows in throughput. Outside the engine, use the classes.
_new_object = object.__new__
_IDENTIFIER_SLOTS = tuple(Identifiers.__dict__[name].__set__ for name in IDENTIFIER_KINDS)
_SOURCING_SLOTS = tuple(Sourcing.__dict__[name].__set__ for name in ("identifiers", "nlm_source", "nih_other"))


def new_identifiers(pmid: tuple[str, ...], pmcid: tuple[str, ...], doi: tuple[str, ...], isbn: tuple[str, ...],
                    url: tuple[str, ...]) -> Identifiers:
    made = _new_object(Identifiers)
    set_pmid, set_pmcid, set_doi, set_isbn, set_url = _IDENTIFIER_SLOTS
    set_pmid(made, pmid)
    set_pmcid(made, pmcid)
    set_doi(made, doi)
    set_isbn(made, isbn)
    set_url(made, url)
    return made


def new_sourcing(identifiers: Identifiers, nlm_source: str | None, nih_other: bool) -> Sourcing:
    made = _new_object(Sourcing)
    set_identifiers, set_nlm_source, set_nih_other = _SOURCING_SLOTS
    set_identifiers(made, identifiers)
    set_nlm_source(made, nlm_source)
    set_nih_other(made, nih_other)
    return made


_TEMPLATE_SLOTS = tuple(Template.__dict__[name].__set__ for name in ("name", "key", "params", "span"))
_MARKER_SLOTS = tuple(CitationNeeded.__dict__[name].__set__
                      for name in ("template", "date", "section", "sentence", "span"))


def new_template(name: str, key: str, params: tuple[tuple[str, str], ...], span: tuple[int, int]) -> Template:
    made = _new_object(Template)
    set_name, set_key, set_params, set_span = _TEMPLATE_SLOTS
    set_name(made, name)
    set_key(made, key)
    set_params(made, params)
    set_span(made, span)
    return made


def new_citation_needed(template: str, date: str | None, section: str, sentence: str,
                        span: tuple[int, int]) -> CitationNeeded:
    made = _new_object(CitationNeeded)
    set_template, set_date, set_section, set_sentence, set_span = _MARKER_SLOTS
    set_template(made, template)
    set_date(made, date)
    set_section(made, section)
    set_sentence(made, sentence)
    set_span(made, span)
    return made


_REUSE_SLOTS = tuple(Reuse.__dict__[name].__set__ for name in ("name", "group", "span"))


def new_reuse(name: str, group: str, span: tuple[int, int]) -> Reuse:
    made = _new_object(Reuse)
    set_name, set_group, set_span = _REUSE_SLOTS
    set_name(made, name)
    set_group(made, group)
    set_span(made, span)
    return made
