"""Wikimedia clients: the Action API, pageviews and EventStreams, plus a local fake of each for tests.

Pure Python: imports nothing from Django or any crowdsci app (an import-linter contract keeps it so).
"""

from crowdsci.wikimedia.action import ActionApiClient, CategoryMember, Contribution, PageInfo, Revision
from crowdsci.wikimedia.common import RetryPolicy, build_user_agent
from crowdsci.wikimedia.errors import (
    ApiError,
    ConfigurationError,
    MalformedEventError,
    RetriesExhaustedError,
    UnexpectedResponseError,
    WikimediaError,
)
from crowdsci.wikimedia.events import MalformedEvent, RecentChange, parse_recent_change
from crowdsci.wikimedia.eventstreams import EventStreamClient, StreamItem
from crowdsci.wikimedia.hashtags import HashtagFilter, extract_hashtags
from crowdsci.wikimedia.pageviews import PageviewsClient, encode_article

__all__ = [
    "ActionApiClient",
    "ApiError",
    "CategoryMember",
    "ConfigurationError",
    "Contribution",
    "EventStreamClient",
    "HashtagFilter",
    "MalformedEvent",
    "MalformedEventError",
    "PageInfo",
    "PageviewsClient",
    "RecentChange",
    "RetriesExhaustedError",
    "RetryPolicy",
    "Revision",
    "StreamItem",
    "UnexpectedResponseError",
    "WikimediaError",
    "build_user_agent",
    "encode_article",
    "extract_hashtags",
    "parse_recent_change",
]
