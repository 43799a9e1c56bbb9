"""The stream consumer behind ``manage.py track_edits``, and the shared path recorded events take (replay).

A reader thread runs the EventStreams client (reconnects with backoff, resumes with ``Last-Event-ID``) and puts
every event on a bounded queue; the loop takes events off it in batches (``CAMPAIGNS_INGEST_BATCH_EVENTS`` events
or ``CAMPAIGNS_INGEST_BATCH_SECONDS``, whichever comes first) and stores each batch's matched edits together with
the id of its last event in one transaction (``services.edits.edits_store``). After ``kill -9`` the position in
the database is that of the last batch stored, so a restart resumes right after it: nothing lost, nothing twice.

The loop is a class with ``start``/``step``/``stop`` so a wrapper (a leader lock for fail-over) can drive it.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from crowdsci.campaigns.models import StreamConsumer, TrackedEdit
from crowdsci.campaigns.services.edits import ConsumerProgress, EditCandidate, StoreResult, edits_store
from crowdsci.campaigns.tracking import crediting
from crowdsci.campaigns.tracking.matching import EditFacts, Rules, load_rules
from crowdsci.wikimedia import EventStreamClient, MalformedEvent, RecentChange, RetryPolicy
from crowdsci.wikimedia.errors import MalformedEventError
from crowdsci.wikimedia.events import recent_change_from_dict

logger = logging.getLogger(__name__)
STREAM_NAME = "recentchange"
RULES_REFRESH_SECONDS = 2.0
HEARTBEAT_SECONDS = 5.0
LINGER_SECONDS = 0.02


def facts_of(change: RecentChange) -> EditFacts:
    return EditFacts(
        wiki=change.wiki, type=change.type, namespace=change.namespace, revid=change.revision_new,
        user=change.user, bot=change.bot, timestamp=change.timestamp, comment=change.comment,
    )


def candidate_of(change: RecentChange, rules: Rules) -> EditCandidate | None:
    matches = rules.match(facts_of(change))
    if not matches or change.revision_new is None:
        return None
    return EditCandidate(
        wiki=change.wiki, revid=change.revision_new, parent_revid=change.revision_old or None,
        page_title=change.title, namespace=change.namespace, user=change.user, timestamp=change.timestamp,
        summary=change.comment, is_new_page=change.type == "new", matches=tuple(matches),
    )


class RulesCache:
    """The campaigns' rules, re-read at most every few seconds (a new campaign or participant is seen within
    that time, without a query per batch)."""

    def __init__(self, ttl: float = RULES_REFRESH_SECONDS, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._rules: Rules | None = None
        self._loaded_at = 0.0

    def get(self) -> Rules:
        now = self._clock()
        if self._rules is None or now - self._loaded_at >= self.ttl:
            self._rules = load_rules()
            self._loaded_at = now
        return self._rules


@dataclass
class BatchOutcome:
    events: int
    malformed: int
    stored: StoreResult


def store_batch(
    items: list[RecentChange | MalformedEvent],
    rules: Rules,
    *,
    source: str,
    consumer: str | None,
    stream_url: str = "",
    reconnections: int = 0,
    enqueue_crediting: bool = True,
) -> BatchOutcome:
    """Match a batch of events and store it with its position (``consumer``: the StreamConsumer row's name).
    ``enqueue_crediting=False`` leaves the new edits for the caller to credit (the demo loader does it at once)."""
    candidates: list[EditCandidate] = []
    malformed = 0
    last_id: str | None = None
    last_time: datetime | None = None
    for item in items:
        if item.event_id:
            last_id = item.event_id
        if isinstance(item, MalformedEvent):
            malformed += 1
            logger.warning("skipped a malformed event (id %s): %s", item.event_id, item.reason)
            continue
        last_time = item.timestamp
        candidate = candidate_of(item, rules)
        if candidate is not None:
            candidates.append(candidate)
    progress = None
    if consumer is not None:
        progress = ConsumerProgress(
            name=consumer, last_event_id=last_id or "", last_event_time=last_time, events_read=len(items),
            events_malformed=malformed, reconnections=reconnections, stream_url=stream_url,
        )
        if last_id is None:  # events without ids (a recording): keep the stored position
            current = StreamConsumer.objects.filter(name=consumer).values_list("last_event_id", flat=True).first()
            progress.last_event_id = current or ""
    stored = edits_store(candidates=candidates, source=source, progress=progress, enqueue_crediting=enqueue_crediting)
    return BatchOutcome(events=len(items), malformed=malformed, stored=stored)


_END = object()


class StreamIngest:
    """``start()`` connects, ``step()`` stores one batch (returns the number of events read), ``stop()`` closes."""

    def __init__(
        self,
        *,
        stream_url: str | None = None,
        name: str = STREAM_NAME,
        since: datetime | None = None,
        batch_events: int | None = None,
        batch_seconds: float | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.stream_url = stream_url or settings.WIKIMEDIA_STREAM_URL
        self.name = name
        self.since = since
        self.batch_events = batch_events or settings.CAMPAIGNS_INGEST_BATCH_EVENTS
        self.batch_seconds = batch_seconds if batch_seconds is not None else settings.CAMPAIGNS_INGEST_BATCH_SECONDS
        self.retry = retry or RetryPolicy(
            max_attempts=settings.CAMPAIGNS_STREAM_ATTEMPTS,
            base_delay=settings.CAMPAIGNS_STREAM_RETRY_BASE_SECONDS,
            max_delay=60.0,
        )
        self.rules = RulesCache()
        self.events_read = 0
        self.matched = 0
        self._queue: queue.Queue = queue.Queue(maxsize=max(10_000, self.batch_events * 4))
        self._client: EventStreamClient | None = None
        self._thread: threading.Thread | None = None
        self._connections_seen = 1
        self._finished = False
        self._last_heartbeat = 0.0
        self.error: BaseException | None = None

    def start(self) -> None:
        consumer, _created = StreamConsumer.objects.get_or_create(
            name=self.name, defaults={"stream_url": self.stream_url}
        )
        position = consumer.last_event_id or None
        self._client = EventStreamClient(
            self.stream_url,
            user_agent=crediting.user_agent(),
            last_event_id=position,
            since=self.since if position is None else None,
            retry=self.retry,
        )
        StreamConsumer.objects.filter(pk=consumer.pk).update(
            stream_url=self.stream_url, started_at=timezone.now(), last_error=""
        )
        self._thread = threading.Thread(target=self._read, name="track-edits-reader", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        client = self._client
        assert client is not None
        try:
            for item in client.events():
                self._queue.put(item)
        except BaseException as error:  # handed to the loop, which stops and reports it
            self._queue.put(error)
        finally:
            self._queue.put(_END)

    @property
    def finished(self) -> bool:
        return self._finished

    def step(self) -> int:
        """Wait for events (at most the batch time), store them as one batch; returns how many were read."""
        items: list[RecentChange | MalformedEvent] = []
        deadline = time.monotonic() + self.batch_seconds
        while len(items) < self.batch_events:
            # Wait for the first event up to the batch time; after that, only a moment for more: a busy stream
            # still fills big batches (the reader runs ahead), a quiet one stores each edit without waiting.
            timeout = deadline - time.monotonic() if not items else min(LINGER_SECONDS, deadline - time.monotonic())
            if timeout <= 0:
                break
            try:
                item = self._queue.get(timeout=timeout)
            except queue.Empty:
                break
            if item is _END:
                self._finished = True
                break
            if isinstance(item, BaseException):
                self.error = item
                self._finished = True
                break
            items.append(item)
        if not items:
            self._heartbeat()
            return 0
        connections = self._client.connections if self._client else 1
        reconnections, self._connections_seen = connections - self._connections_seen, connections
        outcome = store_batch(
            items, self.rules.get(), source=TrackedEdit.Source.STREAM, consumer=self.name,
            stream_url=self.stream_url, reconnections=max(0, reconnections),
        )
        self.events_read += outcome.events
        self.matched += len(outcome.stored.new_edit_ids)
        return outcome.events

    def _heartbeat(self) -> None:
        # A write every few seconds at most: on SQLite every write takes the database's one write lock, which the
        # crediting workers need too.
        now = time.monotonic()
        if now - self._last_heartbeat >= HEARTBEAT_SECONDS:
            self._last_heartbeat = now
            StreamConsumer.objects.filter(name=self.name).update(heartbeat_at=timezone.now())

    def stop(self) -> None:
        if self.error is not None:
            StreamConsumer.objects.filter(name=self.name).update(
                last_error=f"{type(self.error).__name__}: {self.error}"[:2000], heartbeat_at=timezone.now()
            )
        if self._client is not None:
            self._client.close()


# --- recorded events (replay_stream, the demo) ----------------------------------------------------------------


def recorded_changes(lines: Iterable[bytes | str]) -> Iterator[RecentChange | MalformedEvent]:
    """Recorded recentchange lines (ndjson) as events; a bad line is a MalformedEvent, never an exception."""
    for number, line in enumerate(lines, start=1):
        raw = line.encode() if isinstance(line, str) else line
        if not raw.strip():
            continue
        try:
            payload = json.loads(raw)
            meta = payload.get("meta") if isinstance(payload, dict) else None
            event_id = None
            if isinstance(meta, dict) and "offset" in meta:
                event_id = json.dumps([{"topic": meta.get("topic"), "partition": meta.get("partition", 0),
                                        "offset": meta["offset"]}], separators=(",", ":"))
            yield recent_change_from_dict(payload, event_id)
        except (ValueError, RecursionError, MalformedEventError) as error:
            yield MalformedEvent(event_id=None, data=raw[:2000], reason=f"line {number}: {error}")


def replay(
    items: Iterable[RecentChange | MalformedEvent],
    *,
    speed: float = 0.0,
    batch_events: int = 500,
    consumer: str | None = "replay",
    source: str = TrackedEdit.Source.REPLAY,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[int], None] | None = None,
    enqueue_crediting: bool = True,
) -> tuple[int, int, int, list[int]]:
    """Feed recorded events through the same matching and storing as the live stream.

    ``speed`` N plays the events N times faster than their timestamps (0: as fast as possible). Returns events
    read, malformed and edits newly stored, and the new edits' ids.
    """
    read = malformed = 0
    new_ids: list[int] = []
    batch: list[RecentChange | MalformedEvent] = []
    previous: datetime | None = None
    rules = load_rules()

    def flush() -> None:
        nonlocal read, malformed
        if batch:
            outcome = store_batch(list(batch), rules, source=source, consumer=consumer,
                                  enqueue_crediting=enqueue_crediting)
            read += outcome.events
            malformed += outcome.malformed
            new_ids.extend(outcome.stored.new_edit_ids)
            batch.clear()
            if progress is not None:
                progress(read)

    for item in items:
        if speed > 0 and isinstance(item, RecentChange):
            if previous is not None and item.timestamp > previous:
                flush()
                sleep((item.timestamp - previous).total_seconds() / speed)
            previous = item.timestamp
        batch.append(item)
        if len(batch) >= batch_events:
            flush()
    flush()
    return read, malformed, len(new_ids), new_ids
