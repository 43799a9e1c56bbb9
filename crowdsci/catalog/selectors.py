"""Reads of the catalog: the taxonomy, faceted browsing, full-text search, and who may edit which guide.

Search has one interface and two implementations: PostgreSQL full-text search (a trigger-maintained, GIN-indexed
tsvector; websearch_to_tsquery; ts_rank with the title weighted A; ts_headline) and SQLite FTS5 (an
external-content table kept in step by triggers; bm25 with the title weighted highest; highlight() and snippet()).
Both mark matches with private-use characters that ``mark_highlights`` turns into <mark> after escaping the text.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from crowdsci.catalog import fts
from crowdsci.catalog.models import Category, Guide, GuideTerm, Term
from crowdsci.catalog.rendering import MATCH_END, MATCH_START, mark_highlights
from crowdsci.network.models import Region
from crowdsci.network.selectors import regions_coordinated_by, user_is_network_staff

AnyUser = AbstractBaseUser | AnonymousUser
# Category slug -> ids of the selected entries. Entries of one category are alternatives (any may match);
# categories combine (all must match).
Selection = Mapping[str, Sequence[int]]


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
    """Every category with its entries (``category.term_list``), in two queries."""
    categories = list(Category.objects.order_by("position", "name"))
    by_category: dict[int, list[Term]] = defaultdict(list)
    terms_by_id: dict[int, Term] = {}
    for term in Term.objects.select_related("region").order_by("position", "name"):
        by_category[term.category_id].append(term)
        terms_by_id[term.pk] = term
    for category in categories:
        category.term_list = by_category[category.pk]
        for term in category.term_list:
            term.category = category
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


def _search_filter(query: str) -> Q:
    """Guides matching the reader's query; an empty Q when there is no query."""
    if not query.strip():
        return Q()
    if not _search_available(query):
        return Q(pk__in=[])
    if connection.vendor == "postgresql":
        return Q(search_vector=SearchQuery(query, search_type="websearch", config=fts.PG_CONFIG))
    expression = fts.fts5_match_expression(query)
    return Q(
        pk__in=RawSQL(  # noqa: S611 - the table name is a constant; the expression is a parameter
            f"SELECT rowid FROM {fts.SQLITE_FTS_TABLE} WHERE {fts.SQLITE_FTS_TABLE} MATCH %s",  # noqa: S608
            (expression,),
        )
    )


def _facet_ids(selection: Selection, *, skip: str | None = None) -> QuerySet | None:
    """SQLite: ids of guides filed under a selected entry of every category with a selection, as one INTERSECT
    of index-only scans of (term, guide); None when nothing is selected."""
    chosen = [list(ids) for slug, ids in selection.items() if slug != skip and ids]
    if not chosen:
        return None
    sets = [GuideTerm.objects.filter(term_id__in=term_ids).values("guide_id") for term_ids in chosen]
    return sets[0].intersection(*sets[1:]) if len(sets) > 1 else sets[0]


def _facet_filter(selection: Selection, *, skip: str | None = None) -> Q:
    """Guides filed under one of the selected entries of every category with a selection.

    PostgreSQL: one EXISTS per category, which it plans as merge semi-joins over the (term, guide) index and
    then fetches only the few matching guides. SQLite does not turn EXISTS into joins (it would probe once per
    guide), so there the INTERSECT of ``_facet_ids`` gives the matching ids.
    """
    if connection.vendor == "postgresql":
        condition = Q()
        for slug, term_ids in selection.items():
            if slug != skip and term_ids:
                condition &= Q(Exists(GuideTerm.objects.filter(guide_id=OuterRef("pk"), term_id__in=list(term_ids))))
        return condition
    ids = _facet_ids(selection, skip=skip)
    return Q() if ids is None else Q(pk__in=ids)


# Lists show title and summary only: leave the long columns (and PostgreSQL's tsvector) in the database.
LIST_DEFERRED = ("body", "body_html", "body_text", "search_vector")


def _matching(query: str, selection: Selection, *, skip: str | None = None) -> QuerySet[Guide]:
    return Guide.objects.published().filter(_facet_filter(selection, skip=skip)).filter(_search_filter(query))


class GuideResults:
    """The guides matching a query and a facet selection, best first (by title when there is no query).

    Sliceable and countable, so Django's Paginator pages it; slicing returns ``GuideHit`` objects carrying the
    rank and highlighted title and snippet, computed for that page only.
    """

    def __init__(self, query: str, selection: Selection, taxonomy: Taxonomy | None = None) -> None:
        self.query = query.strip()
        self.selection = selection
        self._taxonomy = taxonomy
        self._count: int | None = None

    @property
    def is_search(self) -> bool:
        return bool(self.query)

    def set_count(self, count: int | None) -> None:
        """The number of matches when the caller already knows it (see ``facet_counts_and_total``)."""
        if count is not None:
            self._count = count

    def count(self) -> int:
        if self._count is None:
            self._count = _matching(self.query, self.selection).count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[GuideHit]:
        if not isinstance(index, slice):
            raise TypeError("GuideResults supports slices only.")
        start, stop = index.start or 0, index.stop
        if stop is not None and stop <= start:
            return []
        if not self.is_search:
            listed = _matching("", self.selection).defer(*LIST_DEFERRED).order_by("title", "pk")[start:stop]
            hits = [GuideHit(guide=g) for g in listed]
        elif not _search_available(self.query):
            hits = []
        elif connection.vendor == "postgresql":
            hits = self._postgresql_page(start, stop)
        else:
            hits = self._sqlite_page(start, stop)
        self._attach_terms(hits)
        return hits

    def _postgresql_page(self, start: int, stop: int | None) -> list[GuideHit]:
        search_query = SearchQuery(self.query, search_type="websearch", config=fts.PG_CONFIG)
        ranked = list(
            _matching(self.query, self.selection)
            .defer(*LIST_DEFERRED)
            .annotate(rank=SearchRank(F("search_vector"), search_query))
            .order_by("-rank", "title", "pk")[start:stop]
        )
        # Headlines are costly: compute them for this page's rows only.
        highlight = {"start_sel": MATCH_START, "stop_sel": MATCH_END, "config": fts.PG_CONFIG}
        headlines = {
            row["pk"]: row
            for row in Guide.objects.filter(pk__in=[g.pk for g in ranked])
            .annotate(
                title_headline=SearchHeadline("title", search_query, highlight_all=True, **highlight),
                body_headline=SearchHeadline(
                    "body_text",
                    search_query,
                    max_words=30,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                    **highlight,
                ),
            )
            .values("pk", "title_headline", "body_headline")
        }
        return [
            GuideHit(
                guide=guide,
                rank=guide.rank,
                title_html=mark_highlights(headlines[guide.pk]["title_headline"]),
                snippet_html=mark_highlights(headlines[guide.pk]["body_headline"]),
            )
            for guide in ranked
        ]

    def _sqlite_page(self, start: int, stop: int | None) -> list[GuideHit]:
        table = fts.SQLITE_FTS_TABLE
        expression = fts.fts5_match_expression(self.query)
        limit = -1 if stop is None else stop - start
        facet_ids = _facet_ids(self.selection)
        facet_sql, facet_params = facet_ids.query.sql_with_params() if facet_ids is not None else ("", ())
        # FTS5 drives: the matches are joined to their guides. "+rowid" keeps SQLite from handing the facet list
        # to FTS5, which would rerun the full-text query once per guide. Ranking first and highlighting only the
        # page keeps snippet() off the rows that are not shown.
        ranked_sql = (
            f"SELECT {table}.rowid, {fts.SQLITE_BM25} AS score FROM {table} "  # noqa: S608 - constants only
            f"JOIN catalog_guide ON catalog_guide.id = {table}.rowid "
            f"WHERE {table} MATCH %s AND catalog_guide.status = %s "
            + (f"AND +{table}.rowid IN ({facet_sql}) " if facet_sql else "")
            + f"ORDER BY score, {table}.rowid LIMIT %s OFFSET %s"
        )
        ranked_params = [expression, Guide.Status.PUBLISHED, *facet_params, limit, start]
        with connection.cursor() as cursor:
            cursor.execute(ranked_sql, ranked_params)
            ranked = cursor.fetchall()
            if not ranked:
                return []
            placeholders = ", ".join(["%s"] * len(ranked))
            cursor.execute(
                f"SELECT rowid, highlight({table}, 0, %s, %s), snippet({table}, 2, %s, %s, ' … ', 30) "  # noqa: S608
                f"FROM {table} WHERE {table} MATCH %s AND rowid IN ({placeholders})",
                [MATCH_START, MATCH_END, MATCH_START, MATCH_END, expression, *[pk for pk, _score in ranked]],
            )
            highlights = {pk: (title, snippet) for pk, title, snippet in cursor.fetchall()}
        guides = Guide.objects.defer(*LIST_DEFERRED).in_bulk([pk for pk, _score in ranked])
        return [
            GuideHit(
                guide=guides[pk],
                rank=-score,  # bm25 is lower for better matches; expose "higher is better" like PostgreSQL.
                title_html=mark_highlights(highlights.get(pk, ("", ""))[0]),
                snippet_html=mark_highlights(highlights.get(pk, ("", ""))[1]),
            )
            for pk, score in ranked
            if pk in guides
        ]

    def _attach_terms(self, hits: list[GuideHit]) -> None:
        if not hits or self._taxonomy is None:
            return
        by_guide: dict[int, list[Term]] = defaultdict(list)
        pairs = GuideTerm.objects.filter(guide_id__in=[h.guide.pk for h in hits]).values_list("guide_id", "term_id")
        for guide_id, term_id in pairs:
            term = self._taxonomy.terms_by_id.get(term_id)
            if term is not None:
                by_guide[guide_id].append(term)
        for hit in hits:
            hit.terms = sorted(by_guide[hit.guide.pk], key=lambda t: (t.category.position, t.position, t.name))


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
    query: str, facets: Selection, *, taxonomy: Taxonomy, skip_categories: Sequence[str] = ()
) -> list[FacetGroup]:
    """For each entry, how many guides would match if it were added to the other categories' selection.

    A category's own selection is left out of its counts (entries of one category are alternatives). Categories
    with nothing selected share one aggregate query; each category with a selection costs one more (two when
    nothing else narrows it, see ``_term_counts``).
    Categories in ``skip_categories`` (not shown, like an entry page's own) are not counted.

    (Tried and dropped: one query flagging, per guide, which selected categories it matches. It did the same
    work in one round trip and was slower on SQLite at 20,000 guides.)
    """
    return facet_counts_and_total(query, facets, taxonomy=taxonomy, skip_categories=skip_categories)[0]


def facet_counts_and_total(
    query: str, facets: Selection, *, taxonomy: Taxonomy, skip_categories: Sequence[str] = ()
) -> tuple[list[FacetGroup], int | None]:
    """``facet_counts``, and how many guides match the whole selection when the counts already tell (else None).

    A category with exactly one selected entry is counted over the guides matching everything else; that entry's
    count is then the number of guides matching everything, so the result list needs no COUNT query of its own.
    """
    categories = [c for c in taxonomy.categories if c.slug not in skip_categories]
    counts: dict[int, int] = {}
    total: int | None = None
    selected = {slug for slug, ids in facets.items() if ids}
    # Narrowed counts (by a search or another category's selection), one query each. (Tried and dropped: sending
    # them as one UNION ALL. PostgreSQL planned the union worse, 15 ms against 9 ms at 20,000 guides, and SQLite
    # gained nothing.)
    narrowed: list[tuple[str, list[object]]] = []
    free_terms = [t.pk for c in categories if not facets.get(c.slug) for t in c.term_list]
    if free_terms:
        if query.strip() or selected:
            narrowed.append(_term_counts_sql(free_terms, _matching(query, facets)))
        else:
            counts.update(_term_counts(free_terms, _matching(query, facets), narrow=False))
    single: list[int] = []  # The entry of a category with exactly one selected (see above).
    for category in categories:
        chosen = facets.get(category.slug)
        if chosen:
            terms = [t.pk for t in category.term_list]
            guides = _matching(query, facets, skip=category.slug)
            if query.strip() or selected - {category.slug}:
                narrowed.append(_term_counts_sql(terms, guides))
            else:
                counts.update(_term_counts(terms, guides, narrow=False))
            if len(chosen) == 1 and chosen[0] in terms:
                single.append(chosen[0])
    if narrowed:
        with connection.cursor() as cursor:
            for sql, params in narrowed:
                cursor.execute(sql, params)
                counts.update(cursor.fetchall())
    if single:
        total = counts.get(single[0], 0)
    groups = [
        FacetGroup(
            category=category,
            values=[
                FacetValue(term=t, count=counts.get(t.pk, 0), selected=t.pk in facets.get(category.slug, ()))
                for t in category.term_list
            ],
        )
        for category in categories
    ]
    return groups, total


def _term_counts(term_ids: list[int], guides: QuerySet[Guide], *, narrow: bool) -> dict[int, int]:
    """Guides per entry among ``guides``.

    Narrowed by a search or another facet (``narrow``), the guides are usually few: the count starts from them
    and reads each one's entries through the (guide, term) index; on SQLite "+term_id" keeps the planner from
    scanning every row of the category's entries instead. Not narrowed, ``guides`` is every published guide: all
    rows per entry (an index-only scan) minus the rows of unpublished guides, which are few.
    """
    placeholders = ", ".join(["%s"] * len(term_ids))
    if not narrow:
        # "status IN (the other statuses)" rather than "NOT status = published": an index condition on
        # (status, id), where the negation scans every guide (and PostgreSQL starts parallel workers for it).
        hidden_statuses = [s for s in Guide.Status.values if s != Guide.Status.PUBLISHED]
        hidden = Guide.objects.filter(status__in=hidden_statuses).order_by().values("pk")
        hidden_sql, hidden_params = hidden.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT term_id, COUNT(*) FROM catalog_guideterm WHERE term_id IN ({placeholders}) GROUP BY term_id",  # noqa: S608
                term_ids,
            )
            counts = dict(cursor.fetchall())
            cursor.execute(
                f"SELECT term_id, COUNT(*) FROM catalog_guideterm WHERE guide_id IN ({hidden_sql}) "  # noqa: S608
                f"AND term_id IN ({placeholders}) GROUP BY term_id",
                [*hidden_params, *term_ids],
            )
            for term_id, hidden_count in cursor.fetchall():
                counts[term_id] -= hidden_count
        return counts
    sql, params = _term_counts_sql(term_ids, guides)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return dict(cursor.fetchall())


def _term_counts_sql(term_ids: list[int], guides: QuerySet[Guide]) -> tuple[str, list[object]]:
    """The narrowed count of ``_term_counts`` as SQL and parameters (see ``facet_counts_and_total``)."""
    placeholders = ", ".join(["%s"] * len(term_ids))
    guides_sql, guides_params = guides.order_by().values("pk").query.sql_with_params()
    term_column = "+term_id" if connection.vendor == "sqlite" else "term_id"
    sql = (
        f"SELECT term_id, COUNT(*) FROM catalog_guideterm WHERE guide_id IN ({guides_sql}) "  # noqa: S608
        f"AND {term_column} IN ({placeholders}) GROUP BY term_id"
    )
    return sql, [*guides_params, *term_ids]


def category_entry_counts(category: Category) -> dict[int, int]:
    """Published guides per entry of one category (the category page)."""
    rows = (
        GuideTerm.objects.filter(term__category=category, guide__status=Guide.Status.PUBLISHED)
        .values("term_id")
        .annotate(n=Count("guide_id"))
        .values_list("term_id", "n")
    )
    return dict(rows)


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
