"""The catalog's search engine: full-text matching in the database, counting and paging through the facet index.

One interface, two implementations: PostgreSQL full-text search (a trigger-maintained, GIN-indexed tsvector;
to_tsquery of the query parsed by fts.py; ts_rank with the title weighted A; ts_headline) and SQLite FTS5 (an
external-content table kept in step by triggers; bm25 with the title weighted highest; highlight() and
snippet()). Both mark matches with private-use characters that ``mark_highlights`` turns into <mark> after
escaping the text. Facet filters, facet counts and result counts come from the in-memory facet index
(``facet_index.py``).

The statements are raw SQL because of what they do in one round trip (see the page methods); everything they put
into the SQL text is a constant, and everything the user gives is a parameter. Pages call it through
``selectors.guides_search`` and ``selectors.facet_counts``.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connection
from django.utils.safestring import SafeString

from crowdsci.catalog import fts
from crowdsci.catalog.facet_index import FacetIndex, Selection, current_index
from crowdsci.catalog.models import Guide, GuideTerm, Term
from crowdsci.catalog.rendering import MATCH_END, MATCH_START, mark_highlights

if TYPE_CHECKING:
    from crowdsci.catalog.selectors import Taxonomy


@dataclass
class GuideHit:
    guide: Guide
    rank: float | None = None
    title_html: SafeString | None = None
    snippet_html: SafeString | None = None
    terms: list[Term] = field(default_factory=list)


def _search_available(query: str) -> bool:
    return not fts.parse_query(query).is_empty


# Lists show title and summary only: leave the long columns (and PostgreSQL's tsvector) in the database.
LIST_DEFERRED = ("body", "body_html", "body_text", "search_words", "search_vector")
# The columns the search statements select for a list (raw SQL): every other one, so that a field added to Guide
# is fetched there too instead of loading lazily, one query per result.
LIST_COLUMNS = tuple(f.column for f in Guide._meta.concrete_fields if f.name not in LIST_DEFERRED)


def _headline_options(**options: object) -> str:
    """ts_headline's options string, each value quoted as an SQL literal (as Django's SearchHeadline does)."""
    names = {
        "highlight_all": "HighlightAll",
        "max_words": "MaxWords",
        "min_words": "MinWords",
        "max_fragments": "MaxFragments",
        "fragment_delimiter": "FragmentDelimiter",
    }
    pairs = [("StartSel", MATCH_START), ("StopSel", MATCH_END), *((names[k], v) for k, v in options.items())]
    return ", ".join(connection.ops.compose_sql(f"{name}=%s", [value]) for name, value in pairs)


class GuideResults:
    """The guides matching a query and a facet selection, best first (by title when there is no query).

    Sliceable and countable, so Django's Paginator pages it; slicing returns ``GuideHit`` objects carrying the
    rank and highlighted title and snippet, computed for that page only. The facets and the count come from the
    facet index; the database answers the full-text query (once, whatever is asked of the results) and fetches
    the rows of the page shown.
    """

    def __init__(self, query: str, selection: Selection, taxonomy: Taxonomy | None = None) -> None:
        self.query = query.strip()
        self.selection = selection
        self._taxonomy = taxonomy
        self._index: FacetIndex | None = None
        self._text_matches: int | None = None

    @property
    def is_search(self) -> bool:
        return bool(self.query)

    @property
    def index(self) -> FacetIndex:
        if self._index is None:
            self._index = current_index()
        return self._index

    def within(self) -> int:
        """The published guides the query matches: every published guide when there is no query."""
        if not self.is_search:
            return self.index.everything
        if self._text_matches is None:
            self._text_matches = self._find_text_matches()
        return self._text_matches

    def _find_text_matches(self) -> int:
        # Matching ids only, no score: ranking reads every match's positions (bm25, ts_rank), so it waits until
        # the facets have narrowed the matches (see the page methods). No status condition either: the full-text
        # index alone answers, and the facet index leaves drafts out.
        if not _search_available(self.query):
            return 0
        # A cursor rather than the ORM, and the ids as one comma-separated string: a common word matches
        # thousands of guides, and building a row per match cost more than the query itself.
        if connection.vendor == "postgresql":
            sql = (
                "SELECT string_agg(id::text, ',') FROM catalog_guide "
                "WHERE search_vector @@ to_tsquery(%s::regconfig, %s)"
            )
            params = [fts.PG_CONFIG, fts.tsquery_expression(self.query)]
        else:
            table = fts.SQLITE_FTS_TABLE
            sql = f"SELECT group_concat(rowid) FROM {table} WHERE {table} MATCH %s"  # noqa: S608 - constants only
            params = [fts.fts5_match_expression(self.query)]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            (ids,) = cursor.fetchone()
        return self.index.set_of(map(int, ids.split(","))) if ids else 0

    def matches(self) -> int:
        return self.index.matching(self.selection) & self.within()

    def count(self) -> int:
        return self.matches().bit_count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[GuideHit]:
        if not isinstance(index, slice):
            raise TypeError("GuideResults supports slices only.")
        start, stop = index.start or 0, index.stop
        if stop is not None and stop <= start:
            return []
        matches = self.matches()
        if not matches:
            return []
        if self.is_search and connection.vendor == "postgresql":
            return self._postgresql_page(matches, start, stop)
        if self.is_search:
            hits = self._sqlite_page(matches, start, stop)
        else:
            ids = self.index.ids_in_title_order(matches, start, stop)
            guides = Guide.objects.defer(*LIST_DEFERRED).in_bulk(ids)
            hits = [GuideHit(guide=guides[pk]) for pk in ids if pk in guides]
        self._attach_terms(hits)
        return hits

    def _postgresql_page(self, matches: int, start: int, stop: int | None) -> list[GuideHit]:
        # One statement: rank the matches (ts_rank reads each one's tsvector, so only the facet-narrowed matches,
        # passed as one array whatever their number), then for this page's rows only the headlines (costly) and
        # the entries they are filed under. Three ORM queries cost twice as much, mostly in Python.
        columns = ", ".join(f"g.{name}" for name in LIST_COLUMNS)
        sql = f"""
            WITH ranked AS (
                SELECT g.id, g.title, ts_rank(g.search_vector, q.query) AS rank, q.query
                FROM catalog_guide g, to_tsquery(%s::regconfig, %s) AS q(query)
                WHERE g.id = ANY(%s)
                ORDER BY rank DESC, g.title, g.id
                LIMIT %s OFFSET %s
            )
            SELECT {columns}, r.rank,
                ts_headline(%s::regconfig, g.title, r.query, %s) AS title_headline,
                ts_headline(%s::regconfig, g.body_text, r.query, %s) AS body_headline,
                ARRAY(SELECT t.term_id FROM catalog_guideterm t WHERE t.guide_id = g.id) AS term_ids
            FROM ranked r JOIN catalog_guide g ON g.id = r.id
            ORDER BY r.rank DESC, r.title, r.id
        """  # noqa: S608 - the column names are constants
        params = [
            fts.PG_CONFIG,
            fts.tsquery_expression(self.query),
            self.index.ids_in_title_order(matches),
            None if stop is None else stop - start,
            start,
            fts.PG_CONFIG,
            _headline_options(highlight_all=True),
            fts.PG_CONFIG,
            _headline_options(max_words=30, min_words=15, max_fragments=2, fragment_delimiter=" … "),
        ]
        return [
            GuideHit(
                guide=guide,
                rank=guide.rank,
                title_html=mark_highlights(guide.title_headline),
                snippet_html=mark_highlights(guide.body_headline),
                terms=self._terms_of(guide.term_ids),
            )
            for guide in Guide.objects.raw(sql, params)
        ]

    def _sqlite_page(self, matches: int, start: int, stop: int | None) -> list[GuideHit]:
        table = fts.SQLITE_FTS_TABLE
        expression = fts.fts5_match_expression(self.query)
        columns = ", ".join(f"g.{name}" for name in LIST_COLUMNS)
        # One statement, as on PostgreSQL: rank the facet-narrowed matches (passed as one JSON array, no limit on
        # their number; "+rowid" keeps SQLite from handing the list to FTS5, which would rerun the full-text query
        # once per guide), then highlight only this page's rows and list the entries they are filed under. The
        # "rowid IN ranked" beside the second MATCH hands FTS5 those rows: without it, it visits every match.
        sql = f"""
            WITH ranked AS (
                SELECT rowid AS id, {fts.SQLITE_BM25} AS score FROM {table}
                WHERE {table} MATCH %s AND +rowid IN (SELECT value FROM json_each(%s))
                ORDER BY score, rowid LIMIT %s OFFSET %s
            )
            SELECT {columns}, r.score,
                highlight({table}, 0, %s, %s) AS title_headline,
                snippet({table}, 2, %s, %s, ' … ', 30) AS body_headline,
                (SELECT json_group_array(t.term_id) FROM catalog_guideterm t WHERE t.guide_id = g.id) AS term_ids
            FROM {table}
            JOIN ranked r ON r.id = {table}.rowid
            JOIN catalog_guide g ON g.id = {table}.rowid
            WHERE {table} MATCH %s AND {table}.rowid IN (SELECT id FROM ranked)
            ORDER BY r.score, r.id
        """  # noqa: S608 - constants only
        params = [
            expression,
            json.dumps(self.index.ids_in_title_order(matches)),
            -1 if stop is None else stop - start,
            start,
            MATCH_START,
            MATCH_END,
            MATCH_START,
            MATCH_END,
            expression,
        ]
        return [
            GuideHit(
                guide=guide,
                rank=-guide.score,  # bm25 is lower for better matches; expose "higher is better" like PostgreSQL.
                title_html=mark_highlights(guide.title_headline),
                snippet_html=mark_highlights(guide.body_headline),
                terms=self._terms_of(json.loads(guide.term_ids)),
            )
            for guide in Guide.objects.raw(sql, params)
        ]

    def _attach_terms(self, hits: list[GuideHit]) -> None:
        if not hits or self._taxonomy is None:
            return
        by_guide: dict[int, list[int]] = defaultdict(list)
        pairs = GuideTerm.objects.filter(guide_id__in=[h.guide.pk for h in hits]).values_list("guide_id", "term_id")
        for guide_id, term_id in pairs:
            by_guide[guide_id].append(term_id)
        for hit in hits:
            hit.terms = self._terms_of(by_guide[hit.guide.pk])

    def _terms_of(self, term_ids: Sequence[int]) -> list[Term]:
        """The entries a guide is filed under, in the taxonomy's order (none without a taxonomy to name them)."""
        if self._taxonomy is None:
            return []
        terms = [term for term in map(self._taxonomy.terms_by_id.get, term_ids) if term is not None]
        return sorted(terms, key=lambda t: (t.category.position, t.position, t.name))
