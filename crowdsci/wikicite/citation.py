"""Citation, which analyses its content on first access, and the results that hold citations."""

from __future__ import annotations

from dataclasses import dataclass, field

from .analysis import sourcing as _analyse_sourcing
from .analysis import structure as _analyse_structure
from .model import CitationNeeded, CiteError, Identifiers, Reuse, Sourcing, Structure, Template


@dataclass(frozen=True)
class Citation:
    """One citation unit: a footnote with content (`ref`, `tag-ref`, or `note` for an {{efn}} that carries a
    citation template) or a distinct short citation (`short`).

    Content analysis is computed on first access and cached: `count` needs identifiers but never parses
    templates, and `diff` never analyses citations whose text did not change.
    """

    kind: str
    name: str | None
    group: str
    span: tuple[int, int]
    section: str
    content: str
    list_defined: bool = False

    # Lazily computed and memoized in the instance dict (a frozen dataclass still has one); plain properties
    # are cheaper than functools.cached_property, which takes a lock on every first access in Python 3.11.
    @property
    def sourcing(self) -> Sourcing:
        cached = self.__dict__.get("_sourcing")
        if cached is None:
            cached = self.__dict__["_sourcing"] = _analyse_sourcing(self.content)
        return cached

    @property
    def structure(self) -> Structure:
        cached = self.__dict__.get("_structure")
        if cached is None:
            cached = self.__dict__["_structure"] = _analyse_structure(self.content)
        return cached

    @property
    def templates(self) -> tuple[Template, ...]:
        return self.structure.templates

    @property
    def text_key(self) -> str:
        return self.structure.text_key

    @property
    def identifiers(self) -> Identifiers:
        return self.sourcing.identifiers

    @property
    def nlm_source(self) -> str | None:
        return self.sourcing.nlm_source

    @property
    def nih_other(self) -> bool:
        return self.sourcing.nih_other


@dataclass(frozen=True, slots=True)
class Page:
    """Everything `extract` finds on one page."""

    citations: tuple[Citation, ...]
    reuses: tuple[Reuse, ...]
    citation_needed: tuple[CitationNeeded, ...]
    errors: tuple[CiteError, ...]
    definitions: int
    orphans: int
    short_citations: int
    groups: dict[str, int] = field(default_factory=dict)

    @property
    def footnotes(self) -> tuple[Citation, ...]:
        """Citation units that are footnotes with content (kinds `ref`, `tag-ref` and `note`)."""
        return tuple(c for c in self.citations if c.kind != "short")


@dataclass(frozen=True, slots=True)
class MatchedPair:
    parent: Citation
    child: Citation


@dataclass(frozen=True, slots=True)
class CitationDiff:
    """What an edit did to the citations of a page."""

    added: tuple[Citation, ...]
    removed: tuple[Citation, ...]
    enriched: tuple[MatchedPair, ...]
    moved: tuple[MatchedPair, ...]
    reformatted: tuple[MatchedPair, ...]
    unchanged: int

    @property
    def added_nlm(self) -> tuple[Citation, ...]:
        """Added citations whose source is an NLM resource."""
        return tuple(c for c in self.added if c.nlm_source)


_new_object = object.__new__


# Like model's fast constructors: a Citation keeps its fields in the instance dict (its lazy analysis is stored
# there too), so one dict update builds the same instance as the generated __init__, at a fraction of the cost.
def new_citation(kind: str, name: str | None, group: str, span: tuple[int, int], section: str, content: str,
                 list_defined: bool = False) -> Citation:
    made = _new_object(Citation)
    made.__dict__.update(kind=kind, name=name, group=group, span=span, section=section, content=content,
                         list_defined=list_defined)
    return made
