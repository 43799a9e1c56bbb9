"""Reads of the catalog: the taxonomy, faceted browsing, full-text search, and who may edit which guide.

Search has one interface and two implementations: PostgreSQL full-text search (a trigger-maintained, GIN-indexed
tsvector; websearch_to_tsquery; ts_rank with the title weighted A; ts_headline) and SQLite FTS5 (an
external-content table kept in step by triggers; bm25 with the title weighted highest; highlight() and snippet()).
Both mark matches with private-use characters that ``mark_highlights`` turns into <mark> after escaping the text.
Facet filters, facet counts and result counts come from the in-memory facet index (``facet_index.py``).
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from crowdsci.catalog import fts
from crowdsci.catalog.facet_index import FacetIndex, Selection, current_index
from crowdsci.catalog.models import Category, Guide, GuideTerm, Term
from crowdsci.catalog.rendering import MATCH_END, MATCH_START, mark_highlights
from crowdsci.network.models import Region
from crowdsci.network.selectors import regions_coordinated_by, user_is_network_staff

AnyUser = AbstractBaseUser | AnonymousUser


def category_nav_items() -> list[tuple[str, str | None, str]]:
    """(label, url, description) for each category, for the site's main navigation: one small query."""
    rows = Category.objects.order_by("position", "name").values_list("slug", "name", "description")
    items = []
    for slug, name, description in rows:
        category = Category(slug=slug, name=name, description=description)
        items.append((category.display_name, category.get_absolute_url(), category.display_description))
    return items


# --- Taxonomy -----------------------------------------------------------------------------------------------


@dataclass
class Taxonomy:
    categories: list[Category]
    terms_by_id: dict[int, Term]

    def category(self, slug: str) -> Category | None:
        return next((c for c in self.categories if c.slug == slug), None)

    def selection_from_params(self, params: Mapping[str, Sequence[str]]) -> dict[str, list[int]]:
        """Selected entry ids per category from query parameters ``?<category slug>=<entry slug>``; unknown
        slugs are ignored, so an old shared link still opens."""
        selection: dict[str, list[int]] = {}
        for category in self.categories:
            wanted = set(params.getlist(category.slug)) if hasattr(params, "getlist") else set()
            ids = [t.pk for t in category.term_list if t.slug in wanted]
            if ids:
                selection[category.slug] = ids
        return selection


def taxonomy() -> Taxonomy:
    """Every category with its entries (``category.term_list``), in two queries, in the order pages list them.

    Each category and entry also carries ``label``, its name in the active language: a page shows an entry in
    the filters and again on every result filed under it, and one translation each is enough.
    """
    categories = list(Category.objects.order_by("position", "name"))
    by_category: dict[int, list[Term]] = defaultdict(list)
    terms_by_id: dict[int, Term] = {}
    for term in Term.objects.select_related("region").order_by("position", "name"):
        by_category[term.category_id].append(term)
        terms_by_id[term.pk] = term
    for category in categories:
        category.label = category.display_name
        category.term_list = by_category[category.pk]
        for term in category.term_list:
            term.category = category
            term.label = term.display_name
    return Taxonomy(categories=categories, terms_by_id=terms_by_id)


def term_for_path(*, category_slug: str, term_slug: str) -> Term | None:
    terms = Term.objects.select_related("category", "region")
    return terms.filter(category__slug=category_slug, slug=term_slug).first()


def guide_for_reader(*, slug: str, user: AnyUser) -> Guide | None:
    """A published guide, or a draft for someone who may edit it (the preview)."""
    guide = Guide.objects.filter(slug=slug).first()
    if guide is None:
        return None
    if guide.status == Guide.Status.PUBLISHED or guide_is_editable_by(user, guide):
        return guide
    return None


def guide_terms_by_category(guide: Guide) -> list[tuple[Category, list[Term]]]:
    grouped: dict[int, tuple[Category, list[Term]]] = {}
    for term in guide.terms.select_related("category").order_by("category__position", "position", "name"):
        grouped.setdefault(term.category_id, (term.category, []))[1].append(term)
    return list(grouped.values())


# --- Browse and search ----------------------------------------------------------------------------------------


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
LIST_DEFERRED = ("body", "body_html", "body_text", "search_vector")
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
                "WHERE search_vector @@ websearch_to_tsquery(%s::regconfig, %s)"
            )
            params = [fts.PG_CONFIG, self.query]
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
                FROM catalog_guide g, websearch_to_tsquery(%s::regconfig, %s) AS q(query)
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
            self.query,
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


def guides_search(query: str, facets: Selection, *, taxonomy: Taxonomy | None = None) -> GuideResults:
    """Published guides matching the query (web-search syntax) and the facet selection, best match first."""
    return GuideResults(query, facets, taxonomy)


@dataclass
class FacetValue:
    term: Term
    count: int
    selected: bool


@dataclass
class FacetGroup:
    category: Category
    values: list[FacetValue]

    @property
    def has_selection(self) -> bool:
        return any(v.selected for v in self.values)


def facet_counts(
    query: str,
    facets: Selection,
    *,
    taxonomy: Taxonomy,
    skip_categories: Sequence[str] = (),
    results: GuideResults | None = None,
) -> list[FacetGroup]:
    """For each entry, how many guides would match if it were added to the other categories' selection.

    A category's own selection is left out of its counts (entries of one category are alternatives), so the
    count of a category's only selected entry is the number of results. Categories in ``skip_categories`` (not
    shown, like an entry page's own) are not counted. Pass the page's ``results`` (for the same query and
    selection) to share its full-text query; the counts themselves cost no query.
    """
    if results is None:
        results = GuideResults(query, facets, taxonomy)
    index = results.index
    within = results.within()
    everything_else = index.matching(facets) & within
    groups = []
    for category in taxonomy.categories:
        if category.slug in skip_categories:
            continue
        chosen = facets.get(category.slug, ())
        base = index.matching(facets, skip=category.slug) & within if chosen else everything_else
        values = [
            FacetValue(term=t, count=(base & index.entry(t.pk)).bit_count(), selected=t.pk in chosen)
            for t in category.term_list
        ]
        groups.append(FacetGroup(category=category, values=values))
    return groups


def category_entry_counts(category: Category) -> dict[int, int]:
    """Published guides per entry of one category (the category page)."""
    index = current_index()
    return {term_id: index.entry(term_id).bit_count() for term_id in category.terms.values_list("pk", flat=True)}


def browse_url(selection: Selection, taxonomy: Taxonomy, *, query: str = "") -> str:
    from urllib.parse import urlencode

    params: list[tuple[str, str]] = []
    if query:
        params.append(("q", query))
    for category in taxonomy.categories:
        for term in category.term_list:
            if term.pk in selection.get(category.slug, ()):
                params.append((category.slug, term.slug))
    url = reverse("catalog-browse")
    return f"{url}?{urlencode(params)}" if params else url


# --- Editing scope and review lists -------------------------------------------------------------------------


def guides_editable_by(user: AnyUser) -> QuerySet[Guide]:
    """Staff edit every guide. A coordinator edits guides with at least one region, all of them regions the
    coordinator coordinates: a guide without a region is network-wide and stays with staff."""
    if user_is_network_staff(user):
        return Guide.objects.all()
    regions = regions_coordinated_by(user)
    if not regions.exists():
        return Guide.objects.none()
    region_terms = GuideTerm.objects.filter(term__region__isnull=False)
    return Guide.objects.filter(pk__in=region_terms.values("guide_id")).exclude(
        pk__in=region_terms.exclude(term__region__in=regions).values("guide_id")
    )


def guide_is_editable_by(user: AnyUser, guide: Guide) -> bool:
    if not user.is_authenticated:
        return False
    return guides_editable_by(user).filter(pk=guide.pk).exists()


def user_can_edit_guides(user: AnyUser) -> bool:
    return user_is_network_staff(user) or regions_coordinated_by(user).exists()


def region_terms_assignable_by(user: AnyUser) -> QuerySet[Term]:
    """Regional Focus entries a user may put on a guide: all for staff, their own regions' for coordinators."""
    terms = Term.objects.filter(region__isnull=False)
    if user_is_network_staff(user):
        return terms
    return terms.filter(region__in=regions_coordinated_by(user))


def guide_terms_refusal(user: AnyUser, terms: Sequence[Term]) -> str | None:
    """Why this user may not file a guide under these entries, or None. Staff file anywhere; a coordinator must
    give at least one region, and only regions they coordinate."""
    from django.utils.translation import gettext as _

    if user_is_network_staff(user):
        return None
    region_terms = [t for t in terms if t.region_id is not None]
    if not region_terms:
        return _("Choose at least one of your regions for this guide.")
    allowed = set(region_terms_assignable_by(user).values_list("pk", flat=True))
    if any(t.pk not in allowed for t in region_terms):
        return _("You can only file guides under the regions you coordinate.")
    return None


def guides_needing_review(user: AnyUser, *, today: datetime.date | None = None) -> QuerySet[Guide]:
    """Guides this user edits that were never reviewed or not within CATALOG_REVIEW_AGE_DAYS, oldest first."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.CATALOG_REVIEW_AGE_DAYS)
    return (
        guides_editable_by(user)
        .filter(Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=cutoff))
        .order_by(F("last_reviewed").asc(nulls_first=True), "title")
    )


def guides_recently_reviewed(user: AnyUser, *, today: datetime.date | None = None) -> QuerySet[Guide]:
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.CATALOG_REVIEW_AGE_DAYS)
    return guides_editable_by(user).filter(last_reviewed__gte=cutoff).order_by("-last_reviewed", "title")


def regions_with_terms() -> QuerySet[Region]:
    return Region.objects.filter(catalog_term__isnull=False)
