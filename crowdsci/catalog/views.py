"""Catalog pages: browse and search, a page per category and per entry, a guide, and the review lists."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from crowdsci.catalog import selectors
from crowdsci.catalog.models import Term
from crowdsci.catalog.taxonomy_data import FACET_CATEGORIES, REGIONS_CATEGORY
from crowdsci.network.selectors import (
    jurisdiction_find,
    jurisdictions_for_finder,
    region_coordinators,
    region_overview,
    region_overviews,
)

PER_PAGE = 20
MAX_QUERY_LENGTH = 200


def _browse_context(request: HttpRequest, *, fixed_term: Term | None = None) -> dict[str, object]:
    taxonomy = selectors.taxonomy()
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    selection = taxonomy.selection_from_params(request.GET)
    if fixed_term is not None:
        # An entry's page lists that entry's guides, filtered by the other categories only.
        selection[fixed_term.category.slug] = [fixed_term.pk]
    results = selectors.guides_search(query, selection, taxonomy=taxonomy)
    # An entry page does not show (or count) its own category.
    skip = [fixed_term.category.slug] if fixed_term is not None else []
    facet_groups = selectors.facet_counts(query, selection, taxonomy=taxonomy, skip_categories=skip, results=results)
    page = Paginator(results, PER_PAGE).get_page(request.GET.get("page"))
    # Topic, audience and region first: the facets librarians combine most; then the other categories.
    facet_groups.sort(key=lambda group: group.category.slug not in FACET_CATEGORIES)
    fixed_categories = {fixed_term.category.slug} if fixed_term else set()
    params = request.GET.copy()
    params.pop("page", None)
    chips = _filter_chips(request, query=query, facet_groups=facet_groups)
    return {
        "query": query,
        "page_obj": page,
        "facet_groups": facet_groups,
        "chips": chips,
        "has_query": bool(query),
        "has_facet_filters": any(not chip.is_query for chip in chips),
        "has_filters": bool(query or any(ids for slug, ids in selection.items() if slug not in fixed_categories)),
        "page_query": params.urlencode(),
        "fixed_term": fixed_term,
        "form_action": request.path,
        "can_edit_guides": selectors.user_can_edit_guides(request.user),
    }


@dataclass(frozen=True)
class FilterChip:
    """A filter in force, shown above the results with a link that removes it."""

    label: str
    category: str
    remove_url: str
    is_query: bool = False


def _filter_chips(request: HttpRequest, *, query: str, facet_groups: list) -> list[FilterChip]:
    def without(name: str, value: str) -> str:
        params = request.GET.copy()
        params.pop("page", None)
        params.setlist(name, [v for v in params.getlist(name) if v != value])
        encoded = params.urlencode()
        return f"{request.path}?{encoded}" if encoded else request.path

    chips = []
    if query:
        chips.append(
            FilterChip(
                label=query,
                category=gettext("Search"),
                remove_url=without("q", request.GET.get("q", "")),
                is_query=True,
            )
        )
    for group in facet_groups:
        for value in group.values:
            if value.selected:
                chips.append(
                    FilterChip(
                        label=value.term.label,
                        category=group.category.label,
                        remove_url=without(group.category.slug, value.term.slug),
                    )
                )
    return chips


def _render_browse(request: HttpRequest, template: str, context: dict[str, object]) -> HttpResponse:
    # HTMX swaps only the filters and results; without JavaScript the same form reloads the whole page.
    if request.htmx and not request.htmx.boosted:
        return render(request, "catalog/_browse.html", context)
    return render(request, template, context)


def browse(request: HttpRequest) -> HttpResponse:
    return _render_browse(request, "catalog/browse.html", _browse_context(request))


def category_detail(request: HttpRequest, category: str) -> HttpResponse:
    category_obj = selectors.category_for_slug(category)
    if category_obj is None:
        raise Http404
    entries = selectors.category_entries_with_counts(category_obj)
    context = {"category": category_obj, "entries": entries}
    if category_obj.slug == REGIONS_CATEGORY:
        return _regions_overview(request, context)
    return render(request, "catalog/category.html", context)


def _regions_overview(request: HttpRequest, context: dict[str, object]) -> HttpResponse:
    """The Regional Focus page: every region with its states, map and guides, and "type your state" to land on
    your region's page (``?state=``, so it works without JavaScript)."""
    typed = request.GET.get("state", "").strip()[:100]
    if typed:
        jurisdiction = jurisdiction_find(typed)
        term = jurisdiction and selectors.region_term(jurisdiction.region)
        if term is not None:
            return redirect(term.get_absolute_url())
    terms = {term.region_id: (term, count) for term, count in context["entries"] if term.region_id}
    regions = [(overview, *terms[overview.region.pk]) for overview in region_overviews() if overview.region.pk in terms]
    return render(
        request,
        "catalog/regions.html",
        {**context, "regions": regions, "state_typed": typed, "jurisdictions": jurisdictions_for_finder()},
    )


def term_detail(request: HttpRequest, category: str, term: str) -> HttpResponse:
    term_obj = selectors.term_for_path(category_slug=category, term_slug=term)
    if term_obj is None:
        raise Http404
    context = {**_browse_context(request, fixed_term=term_obj), "term": term_obj}
    if term_obj.region is not None and not (request.htmx and not request.htmx.boosted):
        # A region's page: its states, map, member organizations and contact above its guides.
        context["overview"] = region_overview(term_obj.region)
        context["coordinators"] = region_coordinators(term_obj.region)
        return render(request, "catalog/region.html", context)
    return _render_browse(request, "catalog/term.html", context)


def guide_detail(request: HttpRequest, slug: str) -> HttpResponse:
    guide = selectors.guide_for_reader(slug=slug, user=request.user)
    if guide is None:
        raise Http404
    context = {
        "guide": guide,
        "term_groups": selectors.guide_terms_by_category(guide),
        "links": selectors.guide_links(guide),
        "files": selectors.guide_files(guide),
        "can_edit": selectors.guide_is_editable_by(request.user, guide),
    }
    return render(request, "catalog/guide_detail.html", context)


def review(request: HttpRequest) -> HttpResponse:
    if not selectors.user_can_edit_guides(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    context = {
        "needing_review": selectors.guides_needing_review(request.user, today=today)[:50],
        "recently_reviewed": selectors.guides_recently_reviewed(request.user, today=today)[:50],
        "review_age_days": settings.CATALOG_REVIEW_AGE_DAYS,
    }
    return render(request, "catalog/review.html", context)
