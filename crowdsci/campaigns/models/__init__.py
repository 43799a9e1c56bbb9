"""The campaigns app's models, in two modules: the tracker's (campaigns, participants, tracked edits, aggregates)
and the community pages' (hosted events, worklists, claims, map pins)."""

from crowdsci.campaigns.models.tracking import (
    Campaign,
    CampaignAggregate,
    CampaignEdit,
    Participant,
    StreamConsumer,
    TrackedEdit,
)

__all__ = ["Campaign", "CampaignAggregate", "CampaignEdit", "Participant", "StreamConsumer", "TrackedEdit"]

# The campaign pages' models (hosted events, worklists, claims, map pins), kept apart from the tracker's.
from crowdsci.campaigns.models.community import (
    ArticleClaim,
    ArticleViews,
    CampaignCounts,
    CampaignPage,
    CampaignViews,
    HostedEvent,
    HostedEventAttendee,
    MapPin,
    NetworkRollup,
    UsernameCheck,
    Worklist,
    WorklistArticle,
)

__all__ += [
    "ArticleClaim",
    "ArticleViews",
    "CampaignCounts",
    "CampaignPage",
    "CampaignViews",
    "HostedEvent",
    "HostedEventAttendee",
    "MapPin",
    "NetworkRollup",
    "UsernameCheck",
    "Worklist",
    "WorklistArticle",
]
