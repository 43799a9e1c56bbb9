"""Writes of campaigns and participants: create, update, join, leave. Each in one durable transaction, audited."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crowdsci.campaigns.errors import CampaignsError
from crowdsci.campaigns.models import Campaign, CampaignEdit, Participant
from crowdsci.campaigns.tracking import aggregates
from crowdsci.core.audit import audit_record
from crowdsci.core.errors import full_clean_or_raise
from crowdsci.core.locking import lock_row, lock_rows
from crowdsci.network.models import Organization
from crowdsci.network.services import wikipedia_username_normalize

# What HashtagFilter accepts as a tag: word characters, optionally joined by single hyphens, not all digits.
_HASHTAG_RE = re.compile(r"^\w+(?:-\w+)*$")
_WIKI_RE = re.compile(r"^[a-z][a-z0-9_]{1,62}$")


def hashtags_normalize(hashtags: Iterable[str]) -> list[str]:
    """Tags without their sign (``#`` or ``＃``), casefolded, in order, without repeats; refuses bad ones."""
    normalized: list[str] = []
    for raw in hashtags:
        tag = raw.strip().lstrip("#＃").casefold()
        if not tag:
            raise CampaignsError(_("A hashtag cannot be empty."))
        if not _HASHTAG_RE.match(tag) or tag.isdigit():
            raise CampaignsError(
                _("“%(tag)s” is not a hashtag: use letters, digits and single hyphens, not only digits.")
                % {"tag": raw.strip()}
            )
        if tag not in normalized:
            normalized.append(tag)
    if not normalized:
        raise CampaignsError(_("A campaign needs at least one hashtag."))
    return normalized


def _wikis_normalize(wikis: Iterable[str] | None) -> list[str]:
    result = [wiki.strip().lower() for wiki in (wikis or ["enwiki"])]
    for wiki in result:
        if not _WIKI_RE.match(wiki):
            raise CampaignsError(_("“%(wiki)s” is not a wiki database name (such as enwiki).") % {"wiki": wiki})
    return list(dict.fromkeys(result)) or ["enwiki"]


def _namespaces_normalize(namespaces: Iterable[int] | None) -> list[int]:
    result = list(dict.fromkeys(int(ns) for ns in (namespaces if namespaces is not None else [0])))
    if not result or any(ns < 0 for ns in result):
        raise CampaignsError(_("Namespaces are whole numbers from 0 (articles)."))
    return result


def _period_check(start: datetime, end: datetime) -> None:
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise CampaignsError(_("The start and end need a time zone (they are stored in UTC)."))
    if end <= start:
        raise CampaignsError(_("The end of the period must be after its start."))


@transaction.atomic(durable=True)
def campaign_create(
    *,
    actor: AbstractBaseUser | None,
    name: str,
    slug: str,
    hashtags: Iterable[str],
    start: datetime,
    end: datetime,
    wikis: Iterable[str] | None = None,
    namespaces: Iterable[int] | None = None,
    credit_mode: str = Campaign.CreditMode.HASHTAG,
    theme: str = "",
    description: str = "",
) -> Campaign:
    _period_check(start, end)
    campaign = Campaign(
        name=name.strip(),
        slug=slug.strip(),
        theme=theme.strip(),
        description=description.strip(),
        hashtags=hashtags_normalize(hashtags),
        wikis=_wikis_normalize(wikis),
        namespaces=_namespaces_normalize(namespaces),
        start=start,
        end=end,
        credit_mode=credit_mode,
    )
    full_clean_or_raise(campaign, CampaignsError, messages={"slug": _("A campaign with this slug already exists.")})
    try:
        with transaction.atomic():
            campaign.save()
    except IntegrityError as error:  # a concurrent create took the slug between the check and the insert
        raise CampaignsError(_("A campaign with this slug already exists.")) from error
    audit_record(actor=actor, action="campaign.create", obj=campaign, detail={"hashtags": campaign.hashtags})
    return campaign


@transaction.atomic(durable=True)
def campaign_update(
    *,
    actor: AbstractBaseUser | None,
    campaign: Campaign,
    name: str,
    hashtags: Iterable[str],
    start: datetime,
    end: datetime,
    wikis: Iterable[str],
    namespaces: Iterable[int],
    credit_mode: str,
    theme: str = "",
    description: str = "",
) -> Campaign:
    """Change a campaign. Edits already matched keep counting; the new rules apply to what the tracker reads next
    (``backfill_campaign`` fetches past edits of participants again under the new rules)."""
    _period_check(start, end)
    campaign = lock_row(Campaign, campaign.pk)
    before = {"hashtags": campaign.hashtags, "start": campaign.start.isoformat(), "end": campaign.end.isoformat()}
    campaign.name = name.strip()
    campaign.theme = theme.strip()
    campaign.description = description.strip()
    campaign.hashtags = hashtags_normalize(hashtags)
    campaign.wikis = _wikis_normalize(wikis)
    campaign.namespaces = _namespaces_normalize(namespaces)
    campaign.start, campaign.end = start, end
    campaign.credit_mode = credit_mode
    full_clean_or_raise(campaign, CampaignsError)
    campaign.save()
    audit_record(actor=actor, action="campaign.update", obj=campaign, detail={"before": before})
    return campaign


@transaction.atomic(durable=True)
def participant_join(
    *,
    campaign: Campaign,
    user: AbstractBaseUser,
    wikipedia_username: str,
    organization: Organization | None = None,
    display: str = Participant.Display.USERNAME,
    at: datetime | None = None,
    actor: AbstractBaseUser | None = None,
) -> Participant:
    """Register ``user`` for the campaign under a Wikipedia username; registering again after leaving rejoins."""
    username = wikipedia_username_normalize(wikipedia_username)
    if not username:
        raise CampaignsError(_("Give your Wikipedia username."))
    moment = at or timezone.now()
    existing = Participant.objects.select_for_update().filter(campaign=campaign, user=user).first()
    if existing is not None:
        if existing.left is None:
            raise CampaignsError(_("You are already registered for this campaign."))
        participant = existing
        participant.joined, participant.left = moment, None
        participant.wikipedia_username = username
        participant.organization, participant.display = organization, display
        action = "participant.rejoin"
    else:
        participant = Participant(
            campaign=campaign,
            user=user,
            wikipedia_username=username,
            organization=organization,
            display=display,
            joined=moment,
        )
        action = "participant.join"
    full_clean_or_raise(
        participant,
        CampaignsError,
        messages={"__all__": _("That Wikipedia username is already registered for this campaign.")},
    )
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError as error:
        raise CampaignsError(_("That Wikipedia username is already registered for this campaign.")) from error
    audit_record(actor=actor or user, action=action, obj=participant, detail={"username": username})
    return participant


@transaction.atomic(durable=True)
def participant_leave(
    *, participant: Participant, at: datetime | None = None, actor: AbstractBaseUser | None = None
) -> Participant:
    """End a registration at ``at`` (now by default). Edits from that moment on stop counting for the person: an
    edit matched only because they were registered stops counting; a hashtag edit still counts for the campaign
    but is no longer attributed to them (nor to their organization)."""
    participant = lock_row(Participant, participant.pk)
    if participant.left is not None:
        raise CampaignsError(_("This registration has already ended."))
    moment = at or timezone.now()
    if moment < participant.joined:
        raise CampaignsError(_("A registration cannot end before it began."))
    participant.left = moment
    participant.save(update_fields=["left"])
    links = CampaignEdit.objects.filter(participant=participant, edit__timestamp__gte=moment)
    edit_ids = list(links.values_list("edit_id", flat=True))
    changed = 0
    if edit_ids:
        from crowdsci.campaigns.models import TrackedEdit

        edits = {edit.pk: edit for edit in lock_rows(TrackedEdit, edit_ids)}
        for link in links.select_related(None).order_by("pk"):
            before = aggregates.contribution(edits[link.edit_id], link)
            if link.matched_by == CampaignEdit.Match.PARTICIPANT:
                link.counted = False
            link.participant, link.organization, link.region = None, None, None
            link.save(update_fields=["counted", "participant", "organization", "region"])
            after = aggregates.contribution(edits[link.edit_id], link)
            aggregates.apply(link.campaign_id, aggregates.subtract(after, before))
            changed += 1
    audit_record(
        actor=actor or participant.user,
        action="participant.leave",
        obj=participant,
        detail={"left": moment.isoformat(), "edits_no_longer_attributed": changed},
    )
    return participant
