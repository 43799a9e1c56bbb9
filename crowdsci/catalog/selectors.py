"""Reads of the catalog: the taxonomy, faceted browsing and search (the engine is ``search.py``), the pages'
records, and who may edit which guide.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from crowdsci.catalog.facet_index import Selection, current_index
from crowdsci.catalog.models import Category, Guide, GuideFile, GuideLink, GuideTerm, Term
from crowdsci.catalog.search import GuideResults
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


def guide_links(guide: Guide) -> list[GuideLink]:
    return list(guide.links.all())


def guide_files(guide: Guide) -> list[GuideFile]:
    return list(guide.files.all())


# --- Browse and search ----------------------------------------------------------------------------------------


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

    @property
    def shown_values(self) -> list[FacetValue]:
        """Entries worth offering: those with results, and any chosen (so it can be unticked)."""
        return [v for v in self.values if v.count or v.selected]

    @property
    def empty_values(self) -> list[FacetValue]:
        """Entries that would give no result now: folded behind "show all"."""
        return [v for v in self.values if not v.count and not v.selected]


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


def category_for_slug(slug: str) -> Category | None:
    return Category.objects.filter(slug=slug).first()


def category_entries_with_counts(category: Category) -> list[tuple[Term, int]]:
    """Each entry of one category with its number of published guides (the category page)."""
    index = current_index()
    return [(term, index.entry(term.pk).bit_count()) for term in category.terms.select_related("region")]


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


def region_term(region: Region) -> Term | None:
    """The Regional Focus entry of a region: its page in the catalog."""
    return Term.objects.select_related("category", "region").filter(region=region).first()
