"""Dashboard reads: every figure comes from the stored aggregates (``CampaignAggregate``), never from a scan of
the edits, so a dashboard costs a few indexed reads however many edits a campaign has.

Figures per row: ``edits``, ``citations_added``, ``citations_removed``, ``citations_enriched``,
``nlm_citations_added``, ``bytes_changed``, ``articles_created`` (credited edits only), ``reverted_edits`` and
``hidden_edits`` (counted apart), and ``identifiers_added`` on identifier rows.
"""

from __future__ import annotations

from dataclasses import dataclass

from crowdsci.campaigns.models import Campaign, CampaignAggregate

Kind = CampaignAggregate.Kind
FIGURES = CampaignAggregate.FIGURES
LEADERBOARD_ORDERS = frozenset({"citations_added", "nlm_citations_added", "edits", "bytes_changed",
                                "citations_enriched"})


@dataclass(frozen=True)
class FigureRow:
    key: str
    edits: int = 0
    citations_added: int = 0
    citations_removed: int = 0
    citations_enriched: int = 0
    nlm_citations_added: int = 0
    identifiers_added: int = 0
    bytes_changed: int = 0
    reverted_edits: int = 0
    hidden_edits: int = 0
    articles_created: int = 0


def _rows(campaign: Campaign, kind: str):
    return CampaignAggregate.objects.filter(campaign=campaign, kind=kind)


def _figure_row(values: dict) -> FigureRow:
    return FigureRow(key=values["key"], **{name: values[name] for name in FIGURES})


def campaign_totals(campaign: Campaign) -> FigureRow:
    values = _rows(campaign, Kind.TOTAL).values("key", *FIGURES).first()
    return _figure_row(values) if values else FigureRow(key="")


def campaign_series(campaign: Campaign, *, granularity: str = "day") -> list[FigureRow]:
    """Per day (``YYYY-MM-DD``) or per hour (``YYYY-MM-DDTHH``, UTC), in time order; days without edits absent."""
    kind = {"day": Kind.DAY, "hour": Kind.HOUR}[granularity]
    return [_figure_row(v) for v in _rows(campaign, kind).order_by("key").values("key", *FIGURES)]


def _ranked(campaign: Campaign, kind: str, order: str, limit: int | None) -> list[FigureRow]:
    if order not in LEADERBOARD_ORDERS:
        raise ValueError(f"cannot rank by {order!r}")
    rows = _rows(campaign, kind).exclude(edits=0, reverted_edits=0, hidden_edits=0)
    rows = rows.order_by(f"-{order}", "-edits", "key").values("key", *FIGURES)
    return [_figure_row(v) for v in (rows[:limit] if limit else rows)]


def campaign_leaderboard(
    campaign: Campaign, *, order: str = "citations_added", limit: int | None = 20
) -> list[FigureRow]:
    """Editors (key: the Wikipedia username), best first. Whether a name may be shown is the pages' business
    (``Participant.display``)."""
    return _ranked(campaign, Kind.USER, order, limit)


def campaign_articles(
    campaign: Campaign, *, order: str = "citations_added", limit: int | None = 50
) -> list[FigureRow]:
    """Articles (key: ``wiki:title``), most improved first."""
    return _ranked(campaign, Kind.ARTICLE, order, limit)


def campaign_organizations(campaign: Campaign, *, order: str = "citations_added") -> list[FigureRow]:
    """Organizations (key: the organization's id as text), through their participants' edits."""
    return _ranked(campaign, Kind.ORGANIZATION, order, None)


def campaign_regions(campaign: Campaign, *, order: str = "citations_added") -> list[FigureRow]:
    """Regions (key: the region's id as text), through their organizations' participants."""
    return _ranked(campaign, Kind.REGION, order, None)


def campaign_nlm_sources(campaign: Campaign) -> dict[str, int]:
    """NLM citations added per NLM source (pubmed, pmc, medlineplus, bookshelf, ...), largest first."""
    rows = _rows(campaign, Kind.NLM_SOURCE).filter(nlm_citations_added__gt=0).order_by("-nlm_citations_added", "key")
    return dict(rows.values_list("key", "nlm_citations_added"))


def campaign_identifiers(campaign: Campaign) -> dict[str, int]:
    """Identifiers added per kind (pmid, pmcid, doi, isbn, url), largest first."""
    rows = _rows(campaign, Kind.IDENTIFIER).filter(identifiers_added__gt=0).order_by("-identifiers_added", "key")
    return dict(rows.values_list("key", "identifiers_added"))
