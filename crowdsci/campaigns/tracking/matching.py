"""What counts: the rules deciding which campaigns an edit belongs to, on plain values (no database access).

An event is a campaign's edit when all hold: its wiki and namespace are the campaign's; its type is ``edit`` or
``new`` with a new revision id; it is not a bot edit; its own timestamp is in the period (start included, end
excluded); and either its summary carries one of the campaign's hashtags (``extract_hashtags``: the rules of
``HashtagFilter``) or the campaign credits all participant edits and the editor was registered at that moment.
A hashtag edit is attributed to the editor's registration when there is one at that moment.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from crowdsci.wikimedia.hashtags import extract_hashtags

COUNTED_TYPES = frozenset({"edit", "new"})


@dataclass(frozen=True, slots=True)
class Registration:
    participant_id: int
    joined: datetime
    left: datetime | None
    organization_id: int | None
    region_id: int | None

    def active_at(self, moment: datetime) -> bool:
        return self.joined <= moment and (self.left is None or moment < self.left)


@dataclass(frozen=True)
class CampaignRule:
    campaign_id: int
    hashtags: frozenset[str]
    wikis: frozenset[str]
    namespaces: frozenset[int]
    start: datetime
    end: datetime
    all_participant_edits: bool
    registrations: dict[str, tuple[Registration, ...]] = field(default_factory=dict)  # by Wikipedia username

    def registration_at(self, user: str, moment: datetime) -> Registration | None:
        for registration in self.registrations.get(user, ()):
            if registration.active_at(moment):
                return registration
        return None


@dataclass(frozen=True, slots=True)
class EditFacts:
    """What the rules look at, from a stream event or a user contribution."""

    wiki: str
    type: str
    namespace: int
    revid: int | None
    user: str
    bot: bool
    timestamp: datetime
    comment: str


@dataclass(frozen=True, slots=True)
class Match:
    campaign_id: int
    matched_by: str  # "hashtag" or "participant"
    registration: Registration | None


class Rules:
    """Every campaign's rule, indexed by wiki, so an event of an untracked wiki costs one dict lookup."""

    def __init__(self, rules: Iterable[CampaignRule]) -> None:
        self.rules = list(rules)
        self.by_wiki: dict[str, list[CampaignRule]] = defaultdict(list)
        for rule in self.rules:
            for wiki in rule.wikis:
                self.by_wiki[wiki].append(rule)
        self.hashtags = frozenset(tag for rule in self.rules for tag in rule.hashtags)

    def __bool__(self) -> bool:
        return bool(self.rules)

    def match(self, facts: EditFacts) -> list[Match]:
        candidates = self.by_wiki.get(facts.wiki)
        if not candidates or facts.type not in COUNTED_TYPES or facts.bot or facts.revid is None:
            return []
        tags: frozenset[str] | None = None
        matches: list[Match] = []
        for rule in candidates:
            if facts.namespace not in rule.namespaces or not (rule.start <= facts.timestamp < rule.end):
                continue
            if tags is None:
                tags = frozenset(extract_hashtags(facts.comment)) if facts.comment else frozenset()
            registration = rule.registration_at(facts.user, facts.timestamp) if facts.user else None
            if not rule.hashtags.isdisjoint(tags):
                matches.append(Match(rule.campaign_id, "hashtag", registration))
            elif rule.all_participant_edits and registration is not None:
                matches.append(Match(rule.campaign_id, "participant", registration))
        return matches


def load_rules() -> Rules:
    """The rules of every campaign, with their registrations, read from the database."""
    from crowdsci.campaigns.models import Campaign, Participant

    campaigns = list(Campaign.objects.all())
    registrations: dict[int, dict[str, list[Registration]]] = defaultdict(lambda: defaultdict(list))
    participants = Participant.objects.filter(campaign__in=campaigns).values_list(
        "campaign_id", "wikipedia_username", "pk", "joined", "left", "organization_id",
        "organization__jurisdiction__region_id",
    )
    for campaign_id, username, pk, joined, left, organization_id, region_id in participants:
        registrations[campaign_id][username].append(Registration(pk, joined, left, organization_id, region_id))
    return Rules(
        CampaignRule(
            campaign_id=campaign.pk,
            hashtags=frozenset(campaign.hashtags),
            wikis=frozenset(campaign.wikis),
            namespaces=frozenset(int(ns) for ns in campaign.namespaces),
            start=campaign.start,
            end=campaign.end,
            all_participant_edits=campaign.credits_all_participant_edits,
            registrations={user: tuple(spans) for user, spans in registrations[campaign.pk].items()},
        )
        for campaign in campaigns
    )
