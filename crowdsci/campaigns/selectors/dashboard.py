"""What the campaign pages read: the stored aggregates (never a scan of edits), participants as they chose to be
shown, the live feed, the tracker's freshness.

Display rule, everywhere (page, JSON, CSV): a participant who chose "anonymous" is never named; one who chose
"display name" is shown by their profile's display name; a Wikipedia username is shown only when the person chose
it, or for an editor who is not a registered participant (their tagged edit is public on Wikipedia under that name).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from crowdsci.campaigns.models import (
    ArticleViews,
    Campaign,
    CampaignAggregate,
    CampaignEdit,
    CampaignPage,
    CampaignViews,
    HostedEvent,
    Participant,
    StreamConsumer,
    TrackedEdit,
)
from crowdsci.campaigns.selectors.access import user_manages_campaigns
from crowdsci.network.models import Organization, Region

Kind = CampaignAggregate.Kind
AnyUser = AbstractBaseUser | AnonymousUser

SILENCE_WARNING_AFTER = timedelta(minutes=5)
NLM_SOURCE_LABELS = {
    "pubmed": "PubMed",
    "pmc": "PMC",
    "bookshelf": "Bookshelf",
    "medlineplus": "MedlinePlus",
    "clinicaltrials": "ClinicalTrials.gov",
    "dailymed": "DailyMed",
    "nlm-other": "other NLM",  # translated where shown
}
TOTAL_FIGURES = ("edits", "citations_added", "nlm_citations_added", "bytes_changed", "reverted_edits",
                 "hidden_edits", "citations_removed", "citations_enriched", "identifiers_added", "articles_created")


# --- campaigns ---------------------------------------------------------------------------------------------
def campaign_phase(campaign: Campaign, now: datetime | None = None) -> str:
    now = now or timezone.now()
    if campaign.start <= now < campaign.end:
        return "current"
    return "upcoming" if now < campaign.start else "past"


def campaigns_listed(now: datetime | None = None) -> list[tuple[str, list[Campaign]]]:
    """Current campaigns first, then upcoming (soonest first), then past (latest first)."""
    now = now or timezone.now()
    campaigns = list(Campaign.objects.all())
    current = sorted((c for c in campaigns if c.start <= now < c.end), key=lambda c: c.end)
    upcoming = sorted((c for c in campaigns if now < c.start), key=lambda c: c.start)
    past = sorted((c for c in campaigns if c.end <= now), key=lambda c: c.start, reverse=True)
    return [("current", current), ("upcoming", upcoming), ("past", past)]


def campaign_page_settings(campaign: Campaign) -> CampaignPage:
    """The page's own settings; unsaved defaults when staff never edited them."""
    try:
        return campaign.page
    except CampaignPage.DoesNotExist:
        return CampaignPage(campaign=campaign)


def headline_totals(campaign_ids: list[int]) -> dict[int, dict[str, int]]:
    """Each campaign's headline figures: sums from its TOTAL row, participants from its stored counts."""
    from crowdsci.campaigns.models import CampaignCounts

    rows = CampaignAggregate.objects.filter(campaign_id__in=campaign_ids, kind=Kind.TOTAL, key="")
    totals = {campaign_id: dict.fromkeys(TOTAL_FIGURES, 0) for campaign_id in campaign_ids}
    for row in rows:
        totals[row.campaign_id] = {name: getattr(row, name) for name in TOTAL_FIGURES}
    counted = dict(CampaignCounts.objects.filter(campaign_id__in=campaign_ids).values_list("campaign_id",
                                                                                          "participants"))
    missing = [campaign_id for campaign_id in campaign_ids if campaign_id not in counted]
    if missing:  # never counted yet (a new campaign): small, counted now
        counted.update(
            Participant.objects.filter(campaign_id__in=missing, left__isnull=True)
            .values("campaign_id").annotate(count=Count("id")).values_list("campaign_id", "count")
        )
    for campaign_id in campaign_ids:
        totals[campaign_id]["participants"] = counted.get(campaign_id, 0)
    return totals


# --- the dashboard --------------------------------------------------------------------------------------------
@dataclass
class Totals:
    participants: int = 0
    editors: int = 0
    edits: int = 0
    articles_improved: int = 0
    articles_created: int = 0
    citations_added: int = 0
    nlm_citations_added: int = 0
    bytes_changed: int = 0
    reverted_edits: int = 0
    hidden_edits: int = 0
    nlm_by_source: list[tuple[str, str, int]] = field(default_factory=list)  # (key, label, count)
    # Views since edit, summed by the periodic refresh: None until it has read any article; as of its oldest reading.
    views_since_edit: int | None = None
    views_as_of: datetime | None = None
    views_articles_unread: int = 0

    def as_json(self) -> dict:
        return {
            "participants": self.participants, "editors": self.editors, "edits": self.edits,
            "articles_improved": self.articles_improved, "articles_created": self.articles_created,
            "citations_added": self.citations_added, "nlm_citations_added": self.nlm_citations_added,
            "nlm_citations_by_source": {key: count for key, _label, count in self.nlm_by_source},
            "bytes_added": self.bytes_changed, "reverted_edits": self.reverted_edits,
            "hidden_edits": self.hidden_edits, "views_since_edit": self.views_since_edit,
            "views_since_edit_as_of": self.views_as_of.isoformat() if self.views_as_of else None,
        }


def dashboard_totals(campaign: Campaign) -> Totals:
    """The sums come live from the tracker's TOTAL row; the counts of participants, editors and articles from the
    stored counts (a minute old at most), or are counted now for a campaign never counted yet."""
    from crowdsci.campaigns.models import CampaignCounts
    from crowdsci.campaigns.services.rollup import campaign_counts_compute

    aggregates = CampaignAggregate.objects.filter(campaign=campaign)
    total = aggregates.filter(kind=Kind.TOTAL, key="").first()
    stored = CampaignCounts.objects.filter(campaign=campaign).first()
    counts = (
        {"participants": stored.participants, "editors": stored.editors,
         "articles_improved": stored.articles_improved}
        if stored is not None else campaign_counts_compute(campaign)
    )
    totals = Totals(**counts)
    if total is not None:
        for name in ("edits", "citations_added", "nlm_citations_added", "bytes_changed", "reverted_edits",
                     "hidden_edits", "articles_created"):
            setattr(totals, name, getattr(total, name))
    views = CampaignViews.objects.filter(campaign=campaign).first()
    if views is not None and views.articles:
        totals.views_since_edit, totals.views_as_of = views.views, views.as_of
        totals.views_articles_unread = views.articles_unread
    by_source = dict(aggregates.filter(kind=Kind.NLM_SOURCE).values_list("key", "nlm_citations_added"))
    ordered = list(NLM_SOURCE_LABELS) + sorted(set(by_source) - set(NLM_SOURCE_LABELS))
    totals.nlm_by_source = [(key, NLM_SOURCE_LABELS.get(key, key), by_source.get(key, 0)) for key in ordered]
    return totals


@dataclass(frozen=True)
class SeriesPoint:
    key: str  # YYYY-MM-DD or YYYY-MM-DDTHH (UTC)
    label: str
    edits: int
    citations_added: int
    nlm_citations_added: int


def _series(campaign: Campaign, kind: str, keys: list[str], label) -> list[SeriesPoint]:
    rows = {
        row["key"]: row
        for row in CampaignAggregate.objects.filter(campaign=campaign, kind=kind, key__in=keys).values(
            "key", "edits", "citations_added", "nlm_citations_added"
        )
    }
    return [
        SeriesPoint(key, label(key), rows.get(key, {}).get("edits", 0), rows.get(key, {}).get("citations_added", 0),
                    rows.get(key, {}).get("nlm_citations_added", 0))
        for key in keys
    ]


def daily_series(campaign: Campaign, now: datetime | None = None) -> list[SeriesPoint]:
    """One point per UTC day of the period, up to today (days without edits are zeros)."""
    now = now or timezone.now()
    end = min(campaign.end, max(now, campaign.start + timedelta(seconds=1)))
    day, last = campaign.start.astimezone(UTC).date(), end.astimezone(UTC).date()
    keys = []
    while day <= last and len(keys) < 400:
        keys.append(day.isoformat())
        day += timedelta(days=1)
    return _series(campaign, Kind.DAY, keys, lambda key: key)


def hourly_series(start: datetime, end: datetime, campaign: Campaign) -> list[SeriesPoint]:
    """One point per UTC hour between ``start`` and ``end`` (the live session)."""
    moment = start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    keys = []
    while moment < end and len(keys) < 72:
        keys.append(moment.strftime("%Y-%m-%dT%H"))
        moment += timedelta(hours=1)
    return _series(campaign, Kind.HOUR, keys, lambda key: key.replace("T", " ") + ":00 UTC")


# --- people ---------------------------------------------------------------------------------------------------
def participant_public_name(participant: Participant) -> str | None:
    """How the participant is shown publicly; None when anonymous."""
    if participant.display == Participant.Display.ANONYMOUS:
        return None
    if participant.display == Participant.Display.DISPLAY_NAME:
        profile = getattr(participant.user, "profile", None)
        name = (profile.display_name if profile else "") or ""
        return name or _("Participant %(number)s") % {"number": participant.pk}
    return participant.wikipedia_username


@dataclass(frozen=True)
class BoardRow:
    rank: int
    name: str | None  # None: anonymous
    participant_id: int | None
    edits: int
    citations_added: int
    nlm_citations_added: int


def _participants_by_username(campaign: Campaign, usernames: list[str]) -> dict[str, Participant]:
    return {
        participant.wikipedia_username: participant
        for participant in Participant.objects.filter(campaign=campaign, wikipedia_username__in=usernames)
        .select_related("user__profile")
    }


def participant_leaderboard(campaign: Campaign, *, limit: int = 10) -> list[BoardRow]:
    rows = list(
        CampaignAggregate.objects.filter(campaign=campaign, kind=Kind.USER, edits__gt=0)
        .order_by("-nlm_citations_added", "-edits", "key")  # the board index's order
        .values("key", "edits", "citations_added", "nlm_citations_added")[:limit]
    )
    participants = _participants_by_username(campaign, [row["key"] for row in rows])
    board = []
    for rank, row in enumerate(rows, 1):
        participant = participants.get(row["key"])
        if participant is None:
            name, participant_id = row["key"], None
        else:
            name = participant_public_name(participant)
            participant_id = participant.pk if name is not None else None
        board.append(BoardRow(rank, name, participant_id, row["edits"], row["citations_added"],
                              row["nlm_citations_added"]))
    return board


def _named_board(campaign: Campaign, kind: str, names: dict[str, str], limit: int) -> list[BoardRow]:
    rows = CampaignAggregate.objects.filter(campaign=campaign, kind=kind, edits__gt=0).order_by(
        "-nlm_citations_added", "-edits", "key"
    ).values("key", "edits", "citations_added", "nlm_citations_added")[:limit]
    return [
        BoardRow(rank, names.get(row["key"], row["key"]), None, row["edits"], row["citations_added"],
                 row["nlm_citations_added"])
        for rank, row in enumerate(rows, 1)
    ]


def organization_leaderboard(campaign: Campaign, *, limit: int = 10) -> list[BoardRow]:
    keys = CampaignAggregate.objects.filter(campaign=campaign, kind=Kind.ORGANIZATION).values_list("key", flat=True)
    ids = [int(key) for key in keys[:1000] if key.isdigit()]
    names = {str(pk): name for pk, name in Organization.objects.filter(pk__in=ids).values_list("pk", "name")}
    return _named_board(campaign, Kind.ORGANIZATION, names, limit)


def region_leaderboard(campaign: Campaign) -> list[BoardRow]:
    names = {str(pk): name for pk, name in Region.objects.values_list("pk", "name")}
    return _named_board(campaign, Kind.REGION, names, 20)


# --- the live feed --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FeedItem:
    edit: TrackedEdit
    editor: str | None  # None: an anonymous participant
    participant_id: int | None
    matched_by: str


def _editor_name(link: CampaignEdit) -> tuple[str | None, int | None]:
    participant = link.participant
    if participant is None:
        return link.edit.user, None
    name = participant_public_name(participant)
    return name, participant.pk if name is not None else None


def live_feed(campaign: Campaign, *, limit: int = 12) -> list[FeedItem]:
    """The latest credited edits that count, newest stored first (the (campaign, edit) index, read backwards)."""
    links = (
        CampaignEdit.objects.filter(campaign=campaign, counted=True, edit__status=TrackedEdit.Status.CREDITED)
        .select_related("edit", "participant__user__profile")
        .order_by("-edit_id")[:limit]
    )
    items = []
    for link in links:
        name, participant_id = _editor_name(link)
        items.append(FeedItem(link.edit, name, participant_id, link.matched_by))
    return items


# --- freshness ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Freshness:
    last_event_seen: datetime | None
    silent: bool
    silent_for: timedelta | None
    # When the live tracker never read the stream but the campaign has edits, they were loaded from recorded
    # history (``backfill_campaign``, ``replay_stream``, the demo): when the latest of them was stored.
    history_loaded_at: datetime | None = None


def tracker_freshness(now: datetime | None = None, campaign: Campaign | None = None) -> Freshness:
    """When the tracker last read Wikipedia's edit stream, and whether it has been silent too long. For a campaign
    on a site whose tracker never ran, also when its edits were loaded from history (its latest stored edit: one
    row read backwards on the (campaign, edit) index)."""
    now = now or timezone.now()
    consumer = StreamConsumer.objects.exclude(last_seen_at=None).order_by("-last_seen_at").first()
    if consumer is None:
        latest = None
        if campaign is not None:
            latest = (CampaignEdit.objects.filter(campaign=campaign).select_related("edit").order_by("-edit_id")
                      .first())
        loaded = latest.edit.stored if latest is not None and latest.edit.source != TrackedEdit.Source.STREAM else None
        return Freshness(None, True, None, loaded)
    silent_for = now - consumer.last_seen_at
    limit = timedelta(seconds=getattr(settings, "CAMPAIGNS_STREAM_SILENCE_WARNING_SECONDS", 0)) or SILENCE_WARNING_AFTER
    return Freshness(consumer.last_seen_at, silent_for > limit, silent_for)


# --- articles and participants --------------------------------------------------------------------------------
def article_rows(campaign: Campaign) -> QuerySet[CampaignAggregate]:
    """Articles with a counted, reverted or hidden edit, in the order of the board index (a limit reads a few)."""
    return CampaignAggregate.objects.filter(campaign=campaign, kind=Kind.ARTICLE).filter(
        Q(edits__gt=0) | Q(reverted_edits__gt=0) | Q(hidden_edits__gt=0)
    ).order_by("-nlm_citations_added", "-edits", "key")


def article_views_by_key(campaign: Campaign, keys: list[str]) -> dict[str, ArticleViews]:
    """The stored views since edit of these articles (``wiki:title`` keys, a page or a chunk of them)."""
    titles = {key.partition(":")[2] for key in keys}
    wanted = set(keys)
    rows = ArticleViews.objects.filter(campaign=campaign, title__in=titles)
    return {row.key: row for row in rows if row.key in wanted}


def participant_visible_to(viewer: AnyUser, participant: Participant) -> bool:
    """An anonymous participant's page is theirs and staff's only."""
    if participant.display != Participant.Display.ANONYMOUS:
        return True
    return viewer.is_authenticated and (viewer.pk == participant.user_id or user_manages_campaigns(viewer))


def participant_figures(participant: Participant) -> dict[str, int]:
    row = CampaignAggregate.objects.filter(
        campaign_id=participant.campaign_id, kind=Kind.USER, key=participant.wikipedia_username
    ).first()
    return {name: getattr(row, name) if row else 0 for name in TOTAL_FIGURES}


def participant_edits(participant: Participant) -> QuerySet[CampaignEdit]:
    return (
        CampaignEdit.objects.filter(participant=participant)
        .select_related("edit")
        .order_by("-edit_id")
    )


def participants_public(campaign: Campaign) -> QuerySet[Participant]:
    return Participant.objects.filter(campaign=campaign).select_related("user__profile", "organization")


def hosted_events(campaign: Campaign) -> QuerySet[HostedEvent]:
    return HostedEvent.objects.filter(campaign=campaign).select_related("organization").annotate(
        attending=Count("attendees")
    )


def hosted_event_figures(event: HostedEvent) -> dict[str, int]:
    """The event's participants' credited edits inside its time window (a few people: read from the edits)."""
    links = CampaignEdit.objects.filter(
        campaign_id=event.campaign_id, counted=True, edit__status=TrackedEdit.Status.CREDITED,
        participant__hosted_events__event=event, edit__timestamp__gte=event.start, edit__timestamp__lt=event.end,
    ).select_related("edit")
    figures = {"edits": 0, "citations_added": 0, "nlm_citations_added": 0, "editors": 0}
    editors = set()
    for link in links:
        figures["edits"] += 1
        figures["citations_added"] += link.edit.citations_added or 0
        figures["nlm_citations_added"] += link.edit.nlm_citations_added or 0
        editors.add(link.participant_id)
    figures["editors"] = len(editors)
    return figures


# --- the network roll-up --------------------------------------------------------------------------------------
@dataclass
class Rollup:
    total: object | None
    years: list
    regions: list
    computed_at: datetime | None


def network_rollup() -> Rollup:
    from crowdsci.campaigns.models import NetworkRollup

    rows = list(NetworkRollup.objects.all())
    total = next((row for row in rows if row.scope == NetworkRollup.Scope.TOTAL), None)
    names = dict(Region.objects.values_list("number", "name"))
    regions = sorted((row for row in rows if row.scope == NetworkRollup.Scope.REGION), key=lambda row: int(row.key))
    for row in regions:
        row.region_name = names.get(int(row.key), row.key)
    return Rollup(
        total=total,
        years=sorted((row for row in rows if row.scope == NetworkRollup.Scope.YEAR), key=lambda row: row.key,
                     reverse=True),
        regions=regions,
        computed_at=total.computed_at if total else None,
    )
