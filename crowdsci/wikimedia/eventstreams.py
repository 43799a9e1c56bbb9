"""EventStreams client: ``recentchange`` over Server-Sent Events, resumed after drops, filtered by hashtag."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

import httpx

from crowdsci.wikimedia.common import (
    DEFAULT_STREAM_TIMEOUT,
    Clock,
    Random,
    RetryableError,
    RetryPolicy,
    Sleep,
    default_clock,
    default_random,
    default_sleep,
    parse_retry_after,
    retrying,
)
from crowdsci.wikimedia.errors import MalformedEventError, UnexpectedResponseError
from crowdsci.wikimedia.events import MalformedEvent, RecentChange, parse_recent_change, recent_change_from_dict
from crowdsci.wikimedia.hashtags import HashtagFilter
from crowdsci.wikimedia.sse import SSEParser

RECENTCHANGE_URL = "https://stream.wikimedia.org/v2/stream/recentchange"
# recentchange `type`s that are edits: a page changed ("edit") or created ("new"). The others ("log",
# "categorize", "external") are not edits, even when their comment carries a hashtag.
EDIT_TYPES = frozenset({"edit", "new"})
StreamItem = RecentChange | MalformedEvent


def format_since(since: datetime | int | str) -> str:
    """The ``since=`` value EventStreams takes: an ISO 8601 UTC timestamp, or milliseconds since the epoch."""
    if isinstance(since, datetime):
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(since)


class EventStreamClient:
    """Iterate over ``recentchange`` events for ever, reconnecting with backoff and resuming where it left off.

    Resumption uses the id of the last event dispatched (``Last-Event-ID``), or ``since`` before any event was
    seen. Ids are taken only from complete events, so a drop in the middle of an event loses nothing and
    repeats nothing. With ``hashtags`` only events carrying one of them are yielded, and most events are dropped
    on their raw bytes without a JSON parse; ``wikis`` and ``types`` (e.g. EDIT_TYPES) keep only those wikis and
    event types. ``last_event_id`` always moves on with every event received,
    yielded or not, so a caller can persist it to resume later.

    ``max_attempts`` of the retry policy bounds consecutive failed connections (no event received in between);
    past it RetriesExhaustedError is raised. ``sleep`` and ``random`` are injectable so tests never wait.
    """

    def __init__(
        self,
        url: str = RECENTCHANGE_URL,
        *,
        user_agent: str,
        hashtags: Iterable[str] | None = None,
        wikis: Iterable[str] | None = None,
        types: Iterable[str] | None = None,
        last_event_id: str | None = None,
        since: datetime | int | str | None = None,
        timeout: httpx.Timeout | float = DEFAULT_STREAM_TIMEOUT,
        retry: RetryPolicy | None = None,
        sleep: Sleep = default_sleep,
        random: Random = default_random,
        clock: Clock = default_clock,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url
        self.hashtag_filter = HashtagFilter(hashtags) if hashtags else None
        self.wikis = frozenset(wikis) if wikis else None
        self.types = frozenset(types) if types else None
        self.last_event_id = last_event_id
        self.since = format_since(since) if since is not None else None
        self.retry = retry or RetryPolicy(max_attempts=10, base_delay=1.0, max_delay=60.0)
        self.connections = 0
        self.events_received = 0
        self.server_retry_ms: int | None = None
        self._sleep = sleep
        self._random = random
        self._clock = clock
        self._client = httpx.Client(
            timeout=timeout,
            headers={"User-Agent": user_agent, "Accept": "text/event-stream"},
            transport=transport,
            follow_redirects=True,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> EventStreamClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __iter__(self) -> Iterator[StreamItem]:
        return self.events()

    def events(self) -> Iterator[StreamItem]:
        for attempt in retrying(self.retry, giving_up=f"cannot stay connected to {self.url}", sleep=self._sleep,
                                random=self._random, minimum_delay=self._server_retry_seconds):
            received_before = self.events_received
            try:
                with attempt:
                    yield from self._one_connection()
                    raise RetryableError("the server closed the stream")
            finally:
                # Only consecutive fruitless connections count against the bound; a long healthy stream that
                # the server closes (EventStreams does so every few minutes) starts the count again.
                attempt.progressed = self.events_received > received_before

    def _server_retry_seconds(self) -> float | None:
        """The reconnection delay the server asked for in the stream (`retry:`), if any."""
        return self.server_retry_ms / 1000 if self.server_retry_ms is not None else None

    def _one_connection(self) -> Iterator[StreamItem]:
        headers: dict[str, str] = {}
        params: dict[str, str] = {}
        if self.last_event_id:
            headers["Last-Event-ID"] = self.last_event_id
        elif self.since:
            params["since"] = self.since
        self.connections += 1
        with self._client.stream("GET", self.url, headers=headers, params=params) as response:
            status = response.status_code
            if status == 429 or status >= 500:
                raise RetryableError(f"HTTP {status}", parse_retry_after(response.headers.get("Retry-After"),
                                                                         self._clock))
            if status != 200:
                response.read()
                raise UnexpectedResponseError(f"GET {self.url} answered HTTP {status}: {response.text[:200]}")
            parser = SSEParser(self.last_event_id)
            for chunk in response.iter_bytes():
                for sse in parser.feed(chunk):
                    self.events_received += 1
                    self.last_event_id = sse.id
                    if sse.retry_ms is not None:
                        self.server_retry_ms = sse.retry_ms
                    if sse.event != "message":
                        continue
                    item = self._interpret(sse.data, sse.id)
                    if item is not None:
                        yield item

    def _interpret(self, data: bytes, event_id: str | None) -> StreamItem | None:
        return select_event(data, event_id, self.hashtag_filter, self.wikis, self.types)


def parse_or_report(data: bytes, event_id: str | None) -> RecentChange | MalformedEvent:
    """The typed event, or a MalformedEvent saying why there is none (never raises)."""
    try:
        return parse_recent_change(data, event_id)
    except MalformedEventError as error:
        return MalformedEvent(event_id=event_id, data=data, reason=str(error))


def select_event(
    data: bytes,
    event_id: str | None,
    hashtag_filter: HashtagFilter | None = None,
    wikis: frozenset[str] | None = None,
    types: frozenset[str] | None = None,
) -> StreamItem | None:
    """The event if it passes the filters, a MalformedEvent if it cannot be read, or None if filtered out.

    Cheapest test first: the byte pre-filter, then the decoded comment, wiki and type, and only then the typed
    event.
    """
    if hashtag_filter is not None and not hashtag_filter.might_match(data):
        return None
    try:
        payload = json.loads(data)
    except (ValueError, RecursionError) as error:
        return MalformedEvent(event_id=event_id, data=data, reason=f"invalid JSON: {error}")
    comment_checked = False
    if isinstance(payload, dict):
        comment = payload.get("comment")
        if hashtag_filter is not None and isinstance(comment, str):
            if not hashtag_filter.matches_comment(comment):
                return None
            comment_checked = True
        if wikis is not None and isinstance(payload.get("wiki"), str) and payload["wiki"] not in wikis:
            return None
        if types is not None and isinstance(payload.get("type"), str) and payload["type"] not in types:
            return None
    try:
        change = recent_change_from_dict(payload, event_id)
    except MalformedEventError as error:
        return MalformedEvent(event_id=event_id, data=data, reason=str(error))
    if hashtag_filter is not None and not comment_checked and not hashtag_filter.matches_comment(change.comment):
        return None  # a comment that was null or absent: no hashtags
    return change


def filter_raw_events(raw_events: Iterable[bytes], hashtag_filter: HashtagFilter) -> Iterator[StreamItem]:
    """Apply the stream's pre-filter, parse and exact check to raw ``data`` payloads (bench, replays)."""
    for data in raw_events:
        item = select_event(data, None, hashtag_filter)
        if item is not None:
            yield item
