"""The tracker's models: campaigns, participants, tracked edits and their credit, the stored aggregates that
dashboards read, and the stream consumer's position and health.

An edit is stored once (unique on wiki + revision id) whatever number of campaigns it counts for; each campaign it
matched is a ``CampaignEdit`` row, which says how it matched and to which participant and organization it is
attributed (a snapshot taken when it matched, so the aggregates never move when someone changes organization).
An edit counts in a campaign's figures when its link is ``counted`` and the edit is ``credited``; reverted and
hidden edits keep the figures they had and are counted apart.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from crowdsci.network.models import Organization, Region

DEFAULT_WIKIS = ["enwiki"]
DEFAULT_NAMESPACES = [0]


def default_wikis() -> list[str]:
    return list(DEFAULT_WIKIS)


def default_namespaces() -> list[int]:
    return list(DEFAULT_NAMESPACES)


class Campaign(models.Model):
    class CreditMode(models.TextChoices):
        HASHTAG = "hashtag", _("Edits whose summary carries a hashtag")
        ALL_PARTICIPANT_EDITS = "all_participant_edits", _("Also every edit of registered participants")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Normalized (casefolded, without the sign), e.g. ["citenlm"]; see services.campaigns.hashtags_normalize.
    hashtags = models.JSONField(_("hashtags"), default=list)
    wikis = models.JSONField(_("wikis"), default=default_wikis, help_text=_("Database names, e.g. enwiki."))
    namespaces = models.JSONField(_("namespaces"), default=default_namespaces)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    credit_mode = models.CharField(
        _("credit mode"), max_length=32, choices=CreditMode.choices, default=CreditMode.HASHTAG
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start", "slug"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="campaign_end_after_start"),
            models.CheckConstraint(
                condition=Q(credit_mode__in=["hashtag", "all_participant_edits"]), name="campaign_credit_mode_known"
            ),
        ]
        indexes = [models.Index(fields=["end", "start"], name="campaign_period")]

    def __str__(self) -> str:
        return self.name

    @property
    def first_day(self) -> date:
        """The period's first day, in the network's time zone (TIME_ZONE, Eastern)."""
        return timezone.localtime(self.start).date()

    @property
    def last_day(self) -> date:
        """The period's last day, in the network's time zone: the end is exclusive (a campaign "March 1 to April 1
        at midnight" ends on March 31)."""
        return timezone.localtime(self.end - timedelta(microseconds=1)).date()

    @property
    def credits_all_participant_edits(self) -> bool:
        return self.credit_mode == self.CreditMode.ALL_PARTICIPANT_EDITS

    def hashtags_display(self) -> str:
        return " ".join(f"#{tag}" for tag in self.hashtags)


class Participant(models.Model):
    """A person's registration for one campaign, under their Wikipedia username.

    Edits count from ``joined``; once ``left`` is set, edits from that moment on no longer count for them.
    """

    class Display(models.TextChoices):
        USERNAME = "username", _("My Wikipedia username")
        DISPLAY_NAME = "display_name", _("My display name")
        ANONYMOUS = "anonymous", _("Anonymous")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="participants", verbose_name=_("campaign")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="campaign_participations",
        verbose_name=_("account"),
    )
    wikipedia_username = models.CharField(_("Wikipedia username"), max_length=255)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaign_participants",
        verbose_name=_("organization"),
    )
    display = models.CharField(_("shown as"), max_length=16, choices=Display.choices, default=Display.USERNAME)
    joined = models.DateTimeField(_("joined"))
    left = models.DateTimeField(_("left"), null=True, blank=True)

    class Meta:
        ordering = ["campaign", "wikipedia_username"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user"], name="participant_unique_account"),
            models.UniqueConstraint(fields=["campaign", "wikipedia_username"], name="participant_unique_username"),
            models.CheckConstraint(condition=~Q(wikipedia_username=""), name="participant_username_not_empty"),
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(left__gte=F("joined")), name="participant_left_after_joined"
            ),
            models.CheckConstraint(
                condition=Q(display__in=["username", "display_name", "anonymous"]), name="participant_display_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wikipedia_username} ({self.campaign.slug})"

    def registered_at(self, moment) -> bool:
        return self.joined <= moment and (self.left is None or moment < self.left)


class TrackedEdit(models.Model):
    """One revision on one wiki, stored once, with the credit the citation engine gave it.

    The credit fields are None until the edit is credited (and stay None for an edit hidden before it could be:
    unknown, not zero). A reverted or hidden edit keeps the figures it had.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        CREDITED = "credited", _("Credited")
        REVERTED = "reverted", _("Reverted")
        HIDDEN = "hidden", _("Hidden")
        FAILED = "failed", _("Failed")

    class Source(models.TextChoices):
        STREAM = "stream", _("Live stream")
        BACKFILL = "backfill", _("Backfill")
        REPLAY = "replay", _("Replay")

    wiki = models.CharField(_("wiki"), max_length=64)
    revid = models.BigIntegerField(_("revision id"))
    parent_revid = models.BigIntegerField(_("parent revision id"), null=True, blank=True)
    page_title = models.CharField(_("page title"), max_length=512)
    namespace = models.IntegerField(_("namespace"), default=0)
    user = models.CharField(_("user"), max_length=255)
    timestamp = models.DateTimeField(_("timestamp"))
    summary = models.TextField(_("summary"), blank=True)
    is_new_page = models.BooleanField(_("page creation"), default=False)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.STREAM)

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    status_reason = models.TextField(_("reason"), blank=True)
    attempts = models.PositiveIntegerField(_("crediting attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)

    citations_added = models.IntegerField(_("citations added"), null=True, blank=True)
    citations_removed = models.IntegerField(_("citations removed"), null=True, blank=True)
    citations_enriched = models.IntegerField(_("citations enriched"), null=True, blank=True)
    nlm_citations_added = models.IntegerField(_("NLM citations added"), null=True, blank=True)
    nlm_by_source = models.JSONField(_("NLM citations added by source"), null=True, blank=True)
    identifiers_added = models.JSONField(_("identifiers added by kind"), null=True, blank=True)
    # The citations the edit added, in page order, the first CITATIONS_KEPT of them (``citations_added`` keeps
    # the exact count): [{"source": NLM source or None, "ids": [[kind, value], ...]}, ...]. None: not known
    # (pending, or credited before the list was kept; ``campaign_recount --fill-citations`` fills it).
    added_citations = models.JSONField(_("citations added"), null=True, blank=True)
    bytes_changed = models.IntegerField(_("bytes changed"), null=True, blank=True)

    stored = models.DateTimeField(_("stored"), auto_now_add=True)
    credited_at = models.DateTimeField(_("credited at"), null=True, blank=True)
    checked_at = models.DateTimeField(_("last checked"), null=True, blank=True)

    campaigns = models.ManyToManyField(Campaign, through="CampaignEdit", related_name="edits")

    class Meta:
        ordering = ["timestamp", "id"]
        verbose_name = _("tracked edit")
        verbose_name_plural = _("tracked edits")
        constraints = [
            models.UniqueConstraint(fields=["wiki", "revid"], name="tracked_edit_unique_revision"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "credited", "reverted", "hidden", "failed"]),
                name="tracked_edit_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status="credited") | Q(citations_added__isnull=False),
                name="tracked_edit_credited_has_credit",
            ),
        ]
        indexes = [
            # What the crediting sweep polls.
            models.Index(fields=["status", "next_attempt_at"], name="tracked_edit_due"),
            models.Index(fields=["wiki", "user"], name="tracked_edit_user"),
            # A campaign's first credited edit of an article (the views-since-edit refresh, a batch of titles).
            models.Index(fields=["wiki", "page_title", "timestamp"], name="tracked_edit_page"),
        ]

    CITATIONS_KEPT = 50

    def __str__(self) -> str:
        return f"{self.wiki}:{self.revid}"

    @property
    def has_credit(self) -> bool:
        return self.citations_added is not None


class CampaignEdit(models.Model):
    """An edit matched by a campaign: how, to whom it is attributed, and whether it counts there."""

    class Match(models.TextChoices):
        HASHTAG = "hashtag", _("Hashtag in the summary")
        PARTICIPANT = "participant", _("Edit of a registered participant")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="campaign_edits")
    edit = models.ForeignKey(TrackedEdit, on_delete=models.CASCADE, related_name="campaign_links")
    matched_by = models.CharField(_("matched by"), max_length=16, choices=Match.choices)
    participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="campaign_edits"
    )
    # Snapshots taken when the edit matched, so a later change of organization does not move past figures.
    organization = models.ForeignKey(Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    counted = models.BooleanField(_("counted"), default=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "edit"]
        verbose_name = _("campaign edit")
        verbose_name_plural = _("campaign edits")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "edit"], name="campaign_edit_unique"),
            models.CheckConstraint(
                condition=Q(matched_by__in=["hashtag", "participant"]), name="campaign_edit_match_known"
            ),
        ]
        # A participant's page lists their edits newest first (the pages' per-participant table).
        indexes = [models.Index(fields=["participant", "-edit"], name="campaign_edit_participant")]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.edit_id}"


class CampaignAggregate(models.Model):
    """One stored figure set of a campaign: its total, a day, an hour, an editor, an article, an organization,
    a region, an NLM source or an identifier kind. Updated in the same transaction as the credit that changes it.

    ``key`` is "" for the total, ``YYYY-MM-DD`` for a day, ``YYYY-MM-DDTHH`` for an hour (UTC), the Wikipedia
    username, ``wiki:title`` for an article, the organization or region id, the NLM source name or the identifier
    kind. ``edits`` and the citation figures count credited edits only; reverted and hidden ones are counted apart.
    """

    class Kind(models.TextChoices):
        TOTAL = "total", _("Total")
        DAY = "day", _("Day")
        HOUR = "hour", _("Hour")
        USER = "user", _("Editor")
        ARTICLE = "article", _("Article")
        ORGANIZATION = "organization", _("Organization")
        REGION = "region", _("Region")
        NLM_SOURCE = "nlm_source", _("NLM source")
        IDENTIFIER = "identifier", _("Identifier kind")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="aggregates")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=600, blank=True)
    edits = models.IntegerField(default=0)
    citations_added = models.IntegerField(default=0)
    citations_removed = models.IntegerField(default=0)
    citations_enriched = models.IntegerField(default=0)
    nlm_citations_added = models.IntegerField(default=0)
    identifiers_added = models.IntegerField(default=0)
    bytes_changed = models.BigIntegerField(default=0)
    reverted_edits = models.IntegerField(default=0)
    hidden_edits = models.IntegerField(default=0)
    # Credited edits that created their page: on an article row 1 when the campaign created it, on an editor's
    # row the pages they created, on the total the articles the campaign created.
    articles_created = models.IntegerField(default=0, db_default=0)  # db_default: bulk COPY may omit it

    FIGURES = (
        "edits",
        "citations_added",
        "citations_removed",
        "citations_enriched",
        "nlm_citations_added",
        "identifiers_added",
        "bytes_changed",
        "reverted_edits",
        "hidden_edits",
        "articles_created",
    )

    class Meta:
        ordering = ["campaign", "kind", "key"]
        verbose_name = _("campaign aggregate")
        verbose_name_plural = _("campaign aggregates")
        constraints = [models.UniqueConstraint(fields=["campaign", "kind", "key"], name="campaign_aggregate_unique")]
        # Leaderboards and the articles table read the top rows of one kind in this order (an index scan with a
        # limit, not a sort of every editor or article of a large campaign).
        indexes = [
            models.Index(
                fields=["campaign", "kind", "-nlm_citations_added", "-edits", "key"], name="campaign_aggregate_board"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}:{self.kind}:{self.key}"


class StreamConsumer(models.Model):
    """The stream consumer's resume position and health, one row per stream (written with each batch).

    ``last_event_id`` is written in the same transaction as the edits of the batch it ends, so a restart after a
    crash resumes exactly after the last stored batch.
    """

    name = models.CharField(max_length=64, unique=True)
    stream_url = models.CharField(max_length=500, blank=True)
    last_event_id = models.TextField(blank=True)
    last_event_time = models.DateTimeField(null=True, blank=True)  # the edit time of the last event read
    last_seen_at = models.DateTimeField(null=True, blank=True)  # when that event was read
    lag_seconds = models.FloatField(null=True, blank=True)
    events_read = models.BigIntegerField(default=0)
    events_matched = models.BigIntegerField(default=0)
    events_malformed = models.BigIntegerField(default=0)
    reconnections = models.BigIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("stream consumer")
        verbose_name_plural = _("stream consumers")

    def __str__(self) -> str:
        return self.name
