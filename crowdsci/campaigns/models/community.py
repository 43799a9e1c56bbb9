"""The campaign pages' models, beside the tracker's: what a campaign page shows besides its figures (live session,
organizer's guide, what is public), hosted events, worklists with their articles and claims, map pins, and the
check of usernames given at registration without signing in with Wikipedia.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from crowdsci.campaigns.models.tracking import Campaign, Participant
from crowdsci.network.models import Organization

DEFAULT_TIME_ZONE = "America/New_York"  # the network's default: Eastern


class CampaignPage(models.Model):
    """What the campaign's public page shows beyond the tracker's campaign: one row per campaign, made on demand."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="page")
    live_session_start = models.DateTimeField(_("live session starts"), null=True, blank=True)
    live_session_end = models.DateTimeField(_("live session ends"), null=True, blank=True)
    live_session_url = models.URLField(_("live session video link"), blank=True)
    organizers_guide = models.ForeignKey(
        "catalog.Guide",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organizer's guide"),
    )
    show_map = models.BooleanField(_("show the participant map"), default=True)
    show_leaderboards = models.BooleanField(_("show the leaderboards"), default=True)
    # The first hashtag as staff wrote it ("CiteNLM"); the tracker keeps it casefolded for matching.
    hashtag_as_written = models.CharField(_("hashtag as written"), max_length=100, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("campaign page")
        verbose_name_plural = _("campaign pages")
        constraints = [
            models.CheckConstraint(
                condition=(Q(live_session_start__isnull=True) & Q(live_session_end__isnull=True))
                | Q(live_session_end__gt=F("live_session_start")),
                name="campaign_page_live_session_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return str(self.campaign)

    def hashtag(self) -> str:
        """The hashtag to show and copy, with its sign: as written when it still is the campaign's first."""
        tags = self.campaign.hashtags
        if not tags:
            return ""
        if self.hashtag_as_written and self.hashtag_as_written.casefold() == tags[0]:
            return "#" + self.hashtag_as_written
        return "#" + tags[0]


class UsernameCheck(models.Model):
    """Whether a Wikipedia username given at registration exists, as the Action API last said.

    A username proven by signing in with Wikipedia needs no check. When the API cannot be reached the status is
    ``unverified`` and the scheduler's job asks again later.
    """

    class Status(models.TextChoices):
        EXISTS = "exists", _("Exists on Wikipedia")
        MISSING = "missing", _("No such Wikipedia account")
        UNVERIFIED = "unverified", _("Not checked yet")

    username = models.CharField(_("Wikipedia username"), max_length=255, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.UNVERIFIED)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("username check")
        verbose_name_plural = _("username checks")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["exists", "missing", "unverified"]), name="username_check_status_known"
            ),
        ]
        indexes = [models.Index(fields=["status", "checked_at"], name="username_check_due")]

    def __str__(self) -> str:
        return self.username


class HostedEvent(models.Model):
    """An event a member institution hosts inside a campaign's period (in person or virtual)."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIRTUAL = "virtual", _("Virtual")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="hosted_events")
    organizer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("organizer")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("host organization"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, default=DEFAULT_TIME_ZONE)
    mode = models.CharField(_("format"), max_length=16, choices=Mode.choices, default=Mode.VIRTUAL)
    address = models.CharField(_("address"), max_length=300, blank=True)
    url = models.URLField(_("video link"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("hosted event")
        verbose_name_plural = _("hosted events")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="hosted_event_end_after_start"),
            models.CheckConstraint(condition=Q(mode__in=["in_person", "virtual"]), name="hosted_event_mode_known"),
            models.CheckConstraint(
                condition=~Q(mode="in_person") | ~Q(address=""), name="hosted_event_in_person_has_address"
            ),
            models.CheckConstraint(condition=~Q(mode="virtual") | ~Q(url=""), name="hosted_event_virtual_has_link"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="hosted_event_capacity_positive"
            ),
        ]
        indexes = [models.Index(fields=["campaign", "start"], name="hosted_event_campaign_start")]

    def __str__(self) -> str:
        return self.title


class HostedEventAttendee(models.Model):
    event = models.ForeignKey(HostedEvent, on_delete=models.CASCADE, related_name="attendees")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="hosted_events")
    joined = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "joined"]
        verbose_name = _("hosted event attendee")
        verbose_name_plural = _("hosted event attendees")
        constraints = [models.UniqueConstraint(fields=["event", "participant"], name="hosted_event_attendee_unique")]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.event}"


class Worklist(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="worklists")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "name", "id"]
        verbose_name = _("worklist")
        verbose_name_plural = _("worklists")

    def __str__(self) -> str:
        return self.name


class WorklistArticle(models.Model):
    """An article on a worklist, with what the refresh task last found in it (None: not read yet)."""

    worklist = models.ForeignKey(Worklist, on_delete=models.CASCADE, related_name="articles")
    wiki = models.CharField(_("wiki"), max_length=64, default="enwiki")
    title = models.CharField(_("title"), max_length=512)
    missing = models.BooleanField(_("page does not exist"), default=False)
    citation_needed = models.IntegerField(_("citation-needed markers"), null=True, blank=True)
    # [{"template", "date", "section", "sentence"}], at most a few dozen, from crowdsci.wikicite on the latest text.
    markers = models.JSONField(_("markers"), default=list, blank=True)
    nlm_citations = models.IntegerField(_("NLM citations"), null=True, blank=True)
    citations = models.IntegerField(_("citations"), null=True, blank=True)
    views_30d = models.IntegerField(_("views in the last 30 days"), null=True, blank=True)
    last_revid = models.BigIntegerField(null=True, blank=True)
    last_edit = models.DateTimeField(_("last edit"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("refreshed"), null=True, blank=True)
    refresh_error = models.TextField(blank=True)
    added = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["worklist", "title"]
        verbose_name = _("worklist article")
        verbose_name_plural = _("worklist articles")
        constraints = [
            models.UniqueConstraint(fields=["worklist", "wiki", "title"], name="worklist_article_unique"),
            models.CheckConstraint(condition=~Q(title=""), name="worklist_article_title_not_empty"),
        ]
        indexes = [models.Index(fields=["refreshed_at"], name="worklist_article_refreshed")]

    def __str__(self) -> str:
        return self.title


class ArticleClaim(models.Model):
    """Someone said they are working on an article. It shows others the article is taken until it expires or
    is released; at most one open claim per article (released claims are kept as history)."""

    article = models.ForeignKey(WorklistArticle, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    participant = models.ForeignKey(Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    claimed_at = models.DateTimeField(_("claimed at"))
    expires_at = models.DateTimeField(_("expires at"))
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at"]
        verbose_name = _("article claim")
        verbose_name_plural = _("article claims")
        constraints = [
            models.UniqueConstraint(
                fields=["article"], condition=Q(released_at__isnull=True), name="article_claim_one_open"
            ),
            models.CheckConstraint(condition=Q(expires_at__gt=F("claimed_at")), name="article_claim_expires_later"),
        ]

    def __str__(self) -> str:
        return f"{self.article} ({self.user_id})"


COARSE_DECIMALS = 1  # a tenth of a degree: about 11 km of latitude, never an exact point


class MapPin(models.Model):
    """A participant's opt-in place on the campaign map: a city name and coordinates rounded to about 10 km.

    The columns hold one decimal only, so the database itself cannot keep a precise point.
    """

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="map_pin")
    place = models.CharField(_("place"), max_length=120, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=4, decimal_places=COARSE_DECIMALS,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=4, decimal_places=COARSE_DECIMALS,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("map pin")
        verbose_name_plural = _("map pins")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="map_pin_coordinates_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} ({self.latitude}, {self.longitude})"


class NetworkRollup(models.Model):
    """The network's figures across all campaigns, where an edit that counted for two campaigns counts once:
    recomputed from the edits by a periodic job (``network_rollup_refresh``), as one set of rows per run.

    ``scope`` is ``total`` (key ""), ``year`` (key "2026") or ``region`` (key the region number).
    """

    class Scope(models.TextChoices):
        TOTAL = "total", _("Total")
        YEAR = "year", _("Year")
        REGION = "region", _("Region")

    scope = models.CharField(max_length=16, choices=Scope.choices)
    key = models.CharField(max_length=32, blank=True)
    campaigns = models.IntegerField(default=0)
    edits = models.IntegerField(default=0)
    editors = models.IntegerField(default=0)
    citations_added = models.IntegerField(default=0)
    nlm_citations_added = models.IntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["scope", "key"]
        verbose_name = _("network roll-up")
        verbose_name_plural = _("network roll-ups")
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="network_rollup_unique"),
            models.CheckConstraint(condition=Q(scope__in=["total", "year", "region"]), name="network_rollup_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key}"


class CampaignCounts(models.Model):
    """How many participants, editors and improved articles a campaign has: counts of rows (not sums), which the
    tracker's aggregates cannot give in constant time, recomputed every minute by ``campaign_counts_refresh``
    so that the dashboard reads one row however large the campaign (the sums stay live, from the aggregates)."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="counts")
    participants = models.IntegerField(default=0)
    editors = models.IntegerField(default=0)
    articles_improved = models.IntegerField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("campaign counts")
        verbose_name_plural = _("campaign counts")

    def __str__(self) -> str:
        return str(self.campaign)


class ArticleViews(models.Model):
    """Page views of an article a campaign improved, since the campaign's first credited edit of it: read from the
    pageviews API by ``article_views_refresh`` (whole UTC days, from the day of that edit through ``views_through``),
    each row with its own freshness."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="article_views")
    wiki = models.CharField(_("wiki"), max_length=64)
    title = models.CharField(_("title"), max_length=512)
    first_edit_at = models.DateTimeField(_("first credited edit"))
    views = models.BigIntegerField(_("views since edit"), null=True, blank=True)  # None: not read yet
    views_through = models.DateField(_("views counted through"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("refreshed"), null=True, blank=True)
    refresh_error = models.TextField(blank=True)

    class Meta:
        ordering = ["campaign", "wiki", "title"]
        verbose_name = _("article views")
        verbose_name_plural = _("article views")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "wiki", "title"], name="article_views_unique"),
            models.CheckConstraint(
                condition=Q(views__isnull=True) | Q(views__gte=0), name="article_views_not_negative"
            ),
        ]
        # What the refresh polls: a campaign's articles never read, then the least recently read.
        indexes = [models.Index(fields=["campaign", "refreshed_at"], name="article_views_due")]

    def __str__(self) -> str:
        return f"{self.wiki}:{self.title}"

    @property
    def key(self) -> str:
        """The article's key in the aggregates (``wiki:title``)."""
        return f"{self.wiki}:{self.title}"


class CampaignViews(models.Model):
    """The sum of a campaign's ``ArticleViews``, written by the same refresh, so the dashboard reads one row.

    ``as_of`` is the oldest reading inside the sum: every article's figure is at least that fresh."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="views_total")
    views = models.BigIntegerField(default=0)
    articles = models.IntegerField(default=0)  # articles whose views are in the sum
    articles_unread = models.IntegerField(default=0)  # improved articles not read yet
    as_of = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("campaign views since edit")
        verbose_name_plural = _("campaign views since edit")

    def __str__(self) -> str:
        return str(self.campaign)
