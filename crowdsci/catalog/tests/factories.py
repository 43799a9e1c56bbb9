"""Hand-written factories for catalog tests: reference data that a flush may have removed, and guides."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable

from crowdsci.catalog.models import Guide, Term
from crowdsci.catalog.services import guide_create
from crowdsci.catalog.taxonomy_data import ensure_taxonomy
from crowdsci.network.models import Region

_sequence = itertools.count(1)


def ensure_reference_data() -> None:
    """The network's seven regions and the catalog's taxonomy, as the migrations load them.

    Transactional tests (browser tests) flush the database afterwards, data migrations included.
    """
    for number in range(1, 8):
        Region.objects.get_or_create(number=number, defaults={"name": f"Region {number}", "slug": f"region-{number}"})
    ensure_taxonomy()


def term(category: str, slug: str) -> Term:
    return Term.objects.select_related("category", "region").get(category__slug=category, slug=slug)


def make_guide(
    title: str | None = None,
    *,
    summary: str = "A guide written for a test.",
    body: str = "",
    terms: Iterable[tuple[str, str]] = (),
    status: str = Guide.Status.PUBLISHED,
    last_reviewed: datetime.date | None = None,
    slug: str = "",
) -> Guide:
    title = title or f"Test guide {next(_sequence)}"
    return guide_create(
        actor=None,
        title=title,
        slug=slug,
        summary=summary,
        body=body,
        status=status,
        last_reviewed=last_reviewed,
        terms=[term(category, entry) for category, entry in terms],
    )
