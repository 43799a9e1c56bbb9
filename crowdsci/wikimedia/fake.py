"""A local fake of the Wikimedia services the clients use, serving recorded data, with injectable faults.

One ``ThreadingHTTPServer`` answers three protocols on 127.0.0.1:

* ``/v2/stream/recentchange``: EventStreams SSE built from recorded ``recentchange`` ndjson lines (sent byte for
  byte), with ids in the real Kafka form ``[{"topic":…,"partition":0,"offset":N}, …]``; ``Last-Event-ID`` (offset or
  ``timestamp`` entries) and ``?since=`` (ISO 8601 or milliseconds) are honoured. After the last event it keeps the
  connection open with comment heartbeats, as the real service does when the stream is quiet.
* ``/w/api.php``: the Action API (``formatversion=2`` shapes) for revisions, page info, user contributions, users
  and category members. Revision texts and their metadata are recorded; see ``tests/data/wikimedia/SOURCES.md``
  for what is derived or synthetic.
* ``/api/rest_v1/metrics/pageviews/per-article/…``: the REST pageviews endpoint (synthetic counts, real shape;
  404 for an article without data).

Faults are queued on ``server.faults`` and each is used by one matching request, e.g.
``server.faults.queue("drop_mid_event", target="stream", after_events=5)``.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import json
import socket
import threading
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "wikimedia"
DEFAULT_STREAM_FILE = "enwiki_2023-07-29.ndjson"
# The live stream's offsets start far above any recorded one, so a consumer never mistakes one for the other.
LIVE_FIRST_OFFSET = 10**12
STREAM_PATH = "/v2/stream/recentchange"
API_PATH = "/w/api.php"
PAGEVIEWS_PREFIX = "/api/rest_v1/metrics/pageviews/per-article/"
OTHER_DATACENTER_TOPIC = "codfw.mediawiki.recentchange"

# Variants added to some real events' summaries so the hashtag filter has matches to find (the recordings have
# no #CiteNLM). The first three must match "CiteNLM"; the last two must not.
HASHTAG_VARIANTS = ("#CiteNLM", "＃citenlm", "#CITENLM", "#CiteNLM2021", "abc#CiteNLM")

FAULT_KINDS = frozenset(
    {"drop_mid_event", "malformed_json", "http_429", "http_503", "maxlag", "slow", "stall", "close", "drop"}
)


@dataclass
class Fault:
    """One injected failure. ``target`` is "stream", "api", "pageviews" or None (any request)."""

    kind: str
    target: str | None = None
    after_events: int = 0
    retry_after: int | str | None = None  # seconds, or an HTTP date
    delay: float = 2.0


class FaultQueue:
    """Thread-safe queue of faults; each request takes the first fault aimed at it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def queue(
        self,
        kind: str,
        *,
        target: str | None = None,
        after_events: int = 0,
        retry_after: int | str | None = None,
        delay: float = 2.0,
        times: int = 1,
    ) -> None:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}; known: {sorted(FAULT_KINDS)}")
        with self._lock:
            self._faults.extend(Fault(kind, target, after_events, retry_after, delay) for _ in range(times))

    def take(self, target: str) -> Fault | None:
        with self._lock:
            for index, fault in enumerate(self._faults):
                if fault.target in (None, target):
                    return self._faults.pop(index)
        return None

    def pending(self) -> int:
        with self._lock:
            return len(self._faults)

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()


@dataclass(frozen=True, slots=True)
class RecordedEvent:
    raw: bytes
    topic: str
    partition: int
    offset: int
    timestamp_ms: int

    @property
    def sse_id(self) -> str:
        return json.dumps(
            [
                {"topic": self.topic, "partition": self.partition, "offset": self.offset},
                {"topic": OTHER_DATACENTER_TOPIC, "partition": 0, "offset": -1},
            ],
            separators=(",", ":"),
        )

    def as_sse(self, data: bytes | None = None) -> bytes:
        return b"event: message\nid: " + self.sse_id.encode() + b"\ndata: " + (data or self.raw) + b"\n\n"


def _event_time_ms(payload: dict[str, Any]) -> int:
    dt = payload.get("meta", {}).get("dt")
    if isinstance(dt, str):
        return int(datetime.fromisoformat(dt.replace("Z", "+00:00")).timestamp() * 1000)
    return int(payload["timestamp"]) * 1000


def load_recorded_events(path: Path, *, hashtag_every: int | None = None) -> list[RecordedEvent]:
    """Events of one recorded ndjson file; with ``hashtag_every=n`` every n-th summary gets a hashtag variant."""
    events: list[RecordedEvent] = []
    variant_index = 0
    for number, line in enumerate(path.read_bytes().splitlines()):
        if not line.strip():
            continue
        payload = json.loads(line)
        raw = line
        if hashtag_every and number % hashtag_every == hashtag_every - 1:
            variant = HASHTAG_VARIANTS[variant_index % len(HASHTAG_VARIANTS)]
            variant_index += 1
            payload["comment"] = f"{payload.get('comment') or ''} {variant}".strip()
            payload["parsedcomment"] = f"{payload.get('parsedcomment') or ''} {variant}".strip()
            # Escaped (ensure_ascii) on purpose: the full-width sign then arrives as \uff03, as many encoders send it.
            raw = json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode()
        meta = payload["meta"]
        events.append(RecordedEvent(raw, meta["topic"], meta["partition"], meta["offset"], _event_time_ms(payload)))
    return events


def parse_since(value: str) -> int:
    """``since=`` as milliseconds since the epoch (accepts milliseconds or ISO 8601)."""
    if value.isdigit():
        return int(value)
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


@dataclass
class FakeData:
    """Everything the fake serves. Built from recorded files by ``FakeData.load``."""

    events: list[RecordedEvent] = field(default_factory=list)
    revisions: dict[int, dict[str, Any]] = field(default_factory=dict)  # revid -> formatversion=2 revision
    revision_pages: dict[int, dict[str, Any]] = field(default_factory=dict)  # revid -> {pageid, ns, title}
    pages: dict[str, dict[str, Any]] = field(default_factory=dict)  # title -> prop=info page
    contributions: list[dict[str, Any]] = field(default_factory=list)
    users: dict[str, int] = field(default_factory=dict)  # name -> userid
    categories: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    pageview_articles: set[str] = field(default_factory=set)

    @classmethod
    def load(
        cls, data_dir: Path = DEFAULT_DATA_DIR, stream_file: str = DEFAULT_STREAM_FILE, hashtag_every: int | None = 7
    ) -> FakeData:
        data = cls(events=load_recorded_events(data_dir / stream_file, hashtag_every=hashtag_every))
        data._add_recorded_revisions(data_dir)
        data._add_suppressed_revisions()
        data._add_contributions_from_events()
        data._add_categories()
        data.pageview_articles |= {page["title"] for page in data.pages.values()}
        data.pageview_articles |= {contribution["title"] for contribution in data.contributions}
        data.pageview_articles |= {"AC/DC", "Alanine—oxo-acid transaminase", "Chemical biology", "Toronto"}
        return data

    def _add_recorded_revisions(self, data_dir: Path) -> None:
        # Metadata from the MediaWiki API response recorded beside these texts (see SOURCES.md). The fixture
        # files end in one added newline, which is not part of the revision.
        page = {"pageid": 62534477, "ns": 0, "title": "Kommet, ihr Hirten"}
        recorded = [
            ("Kommet_ihr_Hirten.parent.wikitext", 1125722395, 1070923531, "2022-12-05T14:00:11Z", "Randy Kryn",
             "See also 'List of Christmas carols", [], "25c80723e35217b3d5090e7d5cc2c51c92a8a7b5"),
            ("Kommet_ihr_Hirten.child.wikitext", 1126962296, 1125722395, "2022-12-12T04:44:08Z", "Michael Bednarek",
             "better LilyPond score, incl. repeat; +English text.", ["wikieditor"],
             "fe11b2db43fe797f67faf60f331ff6cd67918fd6"),
        ]
        for file_name, revid, parentid, timestamp, user, comment, tags, sha1 in recorded:
            text = (data_dir / file_name).read_text(encoding="utf-8").removesuffix("\n")
            self.revisions[revid] = {
                "revid": revid, "parentid": parentid, "user": user, "timestamp": timestamp,
                "size": len(text.encode("utf-8")), "sha1": sha1, "comment": comment, "tags": tags,
                "slots": {"main": {"contentmodel": "wikitext", "contentformat": "text/x-wiki", "content": text}},
            }
            self.revision_pages[revid] = page
            self.users.setdefault(user, _synthetic_id(user))
            self.contributions.append({
                "user": user, "pageid": page["pageid"], "revid": revid, "parentid": parentid, "ns": 0,
                "title": page["title"], "timestamp": timestamp, "comment": comment,
                "size": len(text.encode("utf-8")), "minor": False, "new": False, "top": revid == 1126962296,
            })
        self.pages[page["title"]] = {
            **page, "contentmodel": "wikitext", "pagelanguage": "en", "touched": "2022-12-12T04:44:08Z",
            "lastrevid": 1126962296, "length": self.revisions[1126962296]["size"],
        }

    def _add_suppressed_revisions(self) -> None:
        # Synthetic: the recordings hold no deleted revision, so these show the formatversion=2 shapes of one.
        page = {"pageid": 900000000, "ns": 0, "title": "Crowdsci fake page with deleted revisions"}
        visible_text = "A revision whose author and summary are hidden."
        self.revisions[900000001] = {
            "revid": 900000001, "parentid": 0, "user": "Example", "timestamp": "2024-01-01T00:00:00Z",
            "size": 120, "sha1hidden": True, "texthidden": True, "suppressed": True, "comment": "hidden text",
            "tags": [], "slots": {"main": {"contentmodel": "wikitext", "contentformat": "text/x-wiki",
                                           "texthidden": True}},
        }
        self.revisions[900000002] = {
            "revid": 900000002, "parentid": 900000001, "userhidden": True, "commenthidden": True,
            "timestamp": "2024-01-02T00:00:00Z", "size": len(visible_text),
            "sha1": hashlib.sha1(visible_text.encode()).hexdigest(),  # noqa: S324 - MediaWiki's own checksum
            "tags": [], "slots": {"main": {"contentmodel": "wikitext", "contentformat": "text/x-wiki",
                                           "content": visible_text}},
        }
        for revid in (900000001, 900000002):
            self.revision_pages[revid] = page

    def _add_contributions_from_events(self) -> None:
        for event in self.events:
            payload = json.loads(event.raw)
            revision = payload.get("revision") or {}
            if payload.get("type") not in ("edit", "new") or "new" not in revision:
                continue
            user = payload["user"]
            self.users.setdefault(user, _synthetic_id(user))
            self.contributions.append({
                "user": user, "revid": revision["new"], "parentid": revision.get("old") or 0,
                "ns": payload["namespace"], "title": payload["title"],
                "timestamp": datetime.fromtimestamp(payload["timestamp"], UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "comment": payload.get("comment", ""), "size": (payload.get("length") or {}).get("new", 0),
                "minor": bool(payload.get("minor")), "new": payload["type"] == "new", "top": False,
            })

    def _add_categories(self) -> None:
        # Synthetic graph with a cycle (Genetics -> Root), to test depth limits and cycle handling.
        def member(title: str) -> dict[str, Any]:
            return {"pageid": _synthetic_id(title), "ns": 14 if title.startswith("Category:") else 0, "title": title}

        graph = {
            "Category:CiteNLM test root": ["Chemical biology", "Toronto", "Category:Biology", "Category:Genetics"],
            "Category:Biology": ["Alanine—oxo-acid transaminase", "Chemical biology", "Category:Genetics"],
            "Category:Genetics": ["CRISPR gene editing", "Category:CiteNLM test root", "Category:Deep"],
            "Category:Deep": ["Kommet, ihr Hirten"],
        }
        self.categories = {name: [member(title) for title in titles] for name, titles in graph.items()}


def _synthetic_id(text: str) -> int:
    return zlib.crc32(text.encode("utf-8")) % 100_000_000 + 1


def _normalize_title(title: str) -> str:
    title = title.replace("_", " ").strip()
    return title[:1].upper() + title[1:]


class _Handler(BaseHTTPRequestHandler):
    server: _FakeHTTPServer
    protocol_version = "HTTP/1.0"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet

    def setup(self) -> None:
        super().setup()
        self.server.fake._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.fake._track(self.connection, add=False)

    def do_GET(self) -> None:
        self._route(self.path, "")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._route(self.path, self.rfile.read(length).decode("utf-8"))

    def _route(self, target: str, body: str) -> None:
        fake = self.server.fake
        split = urlsplit(target)
        query = {key: values[-1] for key, values in parse_qs(split.query, keep_blank_values=True).items()}
        query.update({key: values[-1] for key, values in parse_qs(body, keep_blank_values=True).items()})
        fake._record(self.command, split.path, query, dict(self.headers.items()))
        try:
            if split.path == STREAM_PATH:
                self._serve_stream(query)
            elif split.path == API_PATH:
                self._serve_api(query)
            elif split.path.startswith(PAGEVIEWS_PREFIX):
                self._serve_pageviews(split.path)
            else:
                self._send_json(404, {"error": "not found"})
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass  # the client went away (or the fake stopped); nothing to tell it

    # --- common -------------------------------------------------------------------------------------------
    def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _apply_request_fault(self, fault: Fault | None) -> bool:
        """Apply a fault that replaces the whole response; True if the response has been dealt with."""
        if fault is None:
            return False
        if fault.kind == "slow":
            time.sleep(fault.delay)
            return False
        if fault.kind == "http_429":
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            self._send_json(429, {"error": "Too many requests"}, headers)
            return True
        if fault.kind == "http_503":
            headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            self._send_json(503, {"error": "Service Unavailable"}, headers)
            return True
        if fault.kind == "drop":
            self.connection.shutdown(socket.SHUT_RDWR)
            return True
        return False

    # --- EventStreams -------------------------------------------------------------------------------------
    def _serve_stream(self, query: dict[str, str]) -> None:
        fake = self.server.fake
        fault = fake.faults.take("stream")
        if self._apply_request_fault(fault):
            return
        if fake.live_events_per_second:
            self._serve_live_stream(fake)
            return
        try:
            start = fake.stream_start_index(self.headers.get("Last-Event-ID"), query.get("since"))
        except (ValueError, KeyError, TypeError) as error:
            self._send_json(400, {"type": "bad_request", "title": "Bad Request", "detail": str(error)})
            return
        self._start_event_stream()
        write = self.wfile.write
        for sent, event in enumerate(fake.data.events[start:]):
            if fake.stopping.is_set():
                return
            if fault is not None and sent == fault.after_events:
                if fault.kind == "drop_mid_event":
                    frame = event.as_sse()
                    write(frame[: len(frame) * 2 // 3])
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if fault.kind == "malformed_json":
                    write(event.as_sse(event.raw[: len(event.raw) // 2]))
                    continue
                if fault.kind == "stall":
                    time.sleep(fault.delay)
                    return
                if fault.kind == "close":
                    return
            write(event.as_sse())
            if fake.stream_pause_per_100_events and sent % 100 == 99:
                self.wfile.flush()
                if fake.stopping.wait(fake.stream_pause_per_100_events):
                    return
        if fake.close_at_end:
            return
        while not fake.stopping.wait(fake.heartbeat_interval):
            write(b":\n\n")

    def _start_event_stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self.wfile.write(b":ok\n\n")

    def _serve_live_stream(self, fake: FakeWikimedia) -> None:
        """The recorded events again and again, at ``live_events_per_second``, each stamped with the moment it is
        sent and a new offset (LIVE_FIRST_OFFSET + n): a stream that never ends and is never behind, so a
        consumer's lag (edit time to read time) is its own. Resumes after ``Last-Event-ID`` as the real one does."""
        events = fake.data.events
        sent = 0
        last_event_id = self.headers.get("Last-Event-ID")
        if last_event_id:
            try:
                offsets = [p["offset"] for p in json.loads(last_event_id) if p.get("topic") == events[0].topic]
                sent = max(0, int(offsets[0]) + 1 - LIVE_FIRST_OFFSET) if offsets else 0
            except (ValueError, KeyError, TypeError, IndexError) as error:
                self._send_json(400, {"type": "bad_request", "title": "Bad Request", "detail": str(error)})
                return
        self._start_event_stream()
        interval = 1.0 / fake.live_events_per_second
        next_at = time.monotonic()
        while events:
            recorded = events[sent % len(events)]
            now = time.time()
            payload = json.loads(recorded.raw)
            offset = LIVE_FIRST_OFFSET + sent
            payload["timestamp"] = int(now)
            meta = payload.setdefault("meta", {})
            meta["dt"] = datetime.fromtimestamp(now, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
            meta["offset"] = offset
            event = RecordedEvent(json.dumps(payload, separators=(",", ":")).encode(), recorded.topic,
                                  recorded.partition, offset, int(now * 1000))
            self.wfile.write(event.as_sse())
            self.wfile.flush()
            sent += 1
            next_at += interval
            if fake.stopping.wait(max(0.0, next_at - time.monotonic())):
                return

    # --- Action API ---------------------------------------------------------------------------------------
    def _serve_api(self, query: dict[str, str]) -> None:
        fake = self.server.fake
        fault = fake.faults.take("api")
        if self._apply_request_fault(fault):
            return
        if fault is not None and fault.kind == "maxlag":
            lag = 7
            self._send_json(200, {
                "error": {"code": "maxlag", "info": f"Waiting for 10.64.48.35: {lag} seconds lagged.",
                          "host": "10.64.48.35", "lag": lag, "type": "db",
                          "docref": "See https://en.wikipedia.org/w/api.php for API usage."},
                "servedby": "mw-api-ext.fake",
            }, {"Retry-After": str(fault.retry_after if fault.retry_after is not None else 5),
                "X-Database-Lag": str(lag)})
            return
        if fault is not None and fault.kind == "malformed_json":
            body = b'{"batchcomplete":true,"query":{"pages":['
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if query.get("format") != "json" or query.get("formatversion") != "2" or query.get("action") != "query":
            self._send_json(200, {"error": {"code": "badvalue", "info": "this fake answers action=query, "
                                            "format=json, formatversion=2 only"}})
            return
        answer: dict[str, Any] = {"batchcomplete": True, "query": {}}
        if query.get("prop") == "revisions":
            fake._query_revisions(query, answer)
        elif query.get("prop") == "info":
            fake._query_info(query, answer)
        elif query.get("list") == "usercontribs":
            fake._query_usercontribs(query, answer)
        elif query.get("list") == "users":
            fake._query_users(query, answer)
        elif query.get("list") == "categorymembers":
            fake._query_categorymembers(query, answer)
        else:
            answer = {"error": {"code": "badvalue", "info": "unsupported query for this fake"}}
        self._send_json(200, answer)

    # --- pageviews ----------------------------------------------------------------------------------------
    def _serve_pageviews(self, path: str) -> None:
        fake = self.server.fake
        if self._apply_request_fault(fake.faults.take("pageviews")):
            return
        with fake._lock:
            fake._pageviews_in_flight += 1
            fake.max_pageviews_in_flight = max(fake.max_pageviews_in_flight, fake._pageviews_in_flight)
        try:
            if fake.pageviews_delay:
                time.sleep(fake.pageviews_delay)
        finally:
            # Counted out before answering: once the response is written the client may send its next request,
            # which must not overlap this one in the count.
            with fake._lock:
                fake._pageviews_in_flight -= 1
        self._answer_pageviews(path)

    def _answer_pageviews(self, path: str) -> None:
        fake = self.server.fake
        # Split the raw path before decoding so an encoded "/" (%2F) stays inside the article segment.
        segments = [unquote(segment) for segment in path[len(PAGEVIEWS_PREFIX):].split("/")]
        if len(segments) != 7:
            self._send_json(400, {"type": "bad_request", "detail": f"expected 7 segments, got {len(segments)}"})
            return
        project, access, agent, article, granularity, start, end = segments
        fake.pageview_requests.append(article)
        try:
            first = datetime.strptime(start[:8], "%Y%m%d").date()
            last = datetime.strptime(end[:8], "%Y%m%d").date()
        except ValueError:
            self._send_json(400, {"type": "bad_request", "detail": "start and end must be YYYYMMDD[HH]"})
            return
        if granularity != "daily" or first > last:
            self._send_json(400, {"type": "bad_request", "detail": "invalid granularity or date range"})
            return
        title = article.replace("_", " ")
        if title not in fake.data.pageview_articles:
            self._send_json(404, {
                "type": "https://mediawiki.org/wiki/HyperSwitch/errors/not_found",
                "title": "Not found.", "method": "get",
                "detail": "The date(s) you used are valid, but we either do not have data for those date(s), or "
                          "the project you asked for is not loaded yet. Please check documentation for more "
                          "information.",
                "uri": f"/analytics.wikimedia.org/v1/pageviews/per-article/{project}/{access}/{agent}/{article}"
                       f"/{granularity}/{start}/{end}",
            })
            return
        items = []
        day = first
        while day <= last:
            items.append({
                "project": project, "article": article, "granularity": "daily",
                "timestamp": day.strftime("%Y%m%d00"), "access": access, "agent": agent,
                "views": synthetic_daily_views(article, day),
            })
            day += timedelta(days=1)
        self._send_json(200, {"items": items})


def synthetic_daily_views(article: str, day: date) -> int:
    """The fake's deterministic daily count (no real pageviews were recorded)."""
    return zlib.crc32(f"{article}|{day.isoformat()}".encode()) % 5000


class _FakeHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], fake: FakeWikimedia) -> None:
        self.fake = fake
        super().__init__(address, _Handler)


class FakeWikimedia:
    """The fake server. ``start()`` binds 127.0.0.1 (port 0 = random) and serves from a background thread."""

    def __init__(
        self,
        data: FakeData | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        heartbeat_interval: float = 0.2,
        close_at_end: bool = False,
        max_content_chars: int = 12_000_000,
        list_limit: int = 500,
    ) -> None:
        self.data = data or FakeData.load()
        self.host = host
        self.port = port
        self.heartbeat_interval = heartbeat_interval
        self.close_at_end = close_at_end
        self.max_content_chars = max_content_chars
        self.list_limit = list_limit
        self.pageviews_delay = 0.0
        # Seconds to wait after every 100 stream events (0: as fast as the socket takes them). Tests that stop a
        # consumer "in the middle of the stream" pace it, so the middle lasts whatever the machine's load.
        self.stream_pause_per_100_events = 0.0
        # Above 0: the stream replays the recorded events forever at this rate, stamped with the time they are
        # sent (a live stream for load tests; see _serve_live_stream).
        self.live_events_per_second = 0.0
        self.faults = FaultQueue()
        self.requests: list[tuple[str, str, dict[str, str], dict[str, str]]] = []
        self.pageview_requests: list[str] = []
        self.max_pageviews_in_flight = 0
        self.stopping = threading.Event()
        self._pageviews_in_flight = 0
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._server: _FakeHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- life cycle ---------------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def stream_url(self) -> str:
        return self.base_url + STREAM_PATH

    @property
    def api_url(self) -> str:
        return self.base_url + API_PATH

    @property
    def pageviews_url(self) -> str:
        return self.base_url + "/api/rest_v1"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start(self) -> FakeWikimedia:
        self.stopping.clear()
        self._server = _FakeHTTPServer((self.host, self.port), self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"fake-wikimedia-{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and cut every open connection, as a crashed or restarted server would."""
        if self._server is None:
            return
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def __enter__(self) -> FakeWikimedia:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _track(self, connection: socket.socket, *, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(connection)
            else:
                self._connections.discard(connection)

    def _record(self, method: str, path: str, query: dict[str, str], headers: dict[str, str]) -> None:
        with self._lock:
            self.requests.append((method, path, query, headers))

    # --- stream positions ---------------------------------------------------------------------------------
    def stream_start_index(self, last_event_id: str | None, since: str | None) -> int:
        """Index of the first event to send: after ``Last-Event-ID`` (which wins), else from ``since``."""
        events = self.data.events
        if last_event_id:
            positions = json.loads(last_event_id)
            for position in positions:
                if not events or position["topic"] != events[0].topic or position["partition"] != events[0].partition:
                    continue
                if "offset" in position and position["offset"] >= 0:
                    return next((i for i, e in enumerate(events) if e.offset > position["offset"]), len(events))
                if "timestamp" in position:
                    return next((i for i, e in enumerate(events) if e.timestamp_ms >= position["timestamp"]),
                                len(events))
            return 0
        if since:
            since_ms = parse_since(since)
            return next((i for i, e in enumerate(events) if e.timestamp_ms >= since_ms), len(events))
        return 0

    # --- Action API queries -------------------------------------------------------------------------------
    def _query_revisions(self, query: dict[str, str], answer: dict[str, Any]) -> None:
        revids = sorted({int(value) for value in query.get("revids", "").split("|") if value})
        if len(revids) > 50:
            answer.clear()
            answer["error"] = {"code": "toomanyvalues", "info": "Too many values supplied for parameter \"revids\". "
                               "The limit is 50.", "parameter": "revids", "limit": 50, "lowlimit": 50,
                               "highlimit": 500}
            return
        if "rvcontinue" in query:
            revids = [revid for revid in revids if revid >= int(query["rvcontinue"])]
        pages: dict[int, dict[str, Any]] = {}
        bad: dict[str, Any] = {}
        budget = self.max_content_chars
        for index, revid in enumerate(revids):
            revision = self.data.revisions.get(revid)
            if revision is None:
                bad[str(revid)] = {"revid": revid, "missing": True}
                continue
            size = len(revision["slots"]["main"].get("content", ""))
            if size > budget and index > 0 and pages:
                # Like MediaWiki, stop when the response would grow too large and say where to go on.
                answer["continue"] = {"rvcontinue": str(revid), "continue": "||"}
                answer.pop("batchcomplete", None)
                break
            budget -= size
            page = self.data.revision_pages[revid]
            pages.setdefault(page["pageid"], {**page, "revisions": []})["revisions"].append(revision)
        if bad:
            answer["query"]["badrevids"] = bad
        answer["query"]["pages"] = list(pages.values())

    def _query_info(self, query: dict[str, str], answer: dict[str, Any]) -> None:
        pages = []
        normalized = []
        for title in (value for value in query.get("titles", "").split("|") if value):
            clean = _normalize_title(title)
            if clean != title:
                normalized.append({"fromencoded": False, "from": title, "to": clean})
            page = self.data.pages.get(clean)
            pages.append(dict(page) if page else {"ns": 0, "title": clean, "missing": True})
        if normalized:
            answer["query"]["normalized"] = normalized
        answer["query"]["pages"] = pages

    def _query_usercontribs(self, query: dict[str, str], answer: dict[str, Any]) -> None:
        user = _normalize_title(query.get("ucuser", ""))
        newest_first = query.get("ucdir", "older") == "older"
        limit = self._list_limit(query.get("uclimit", "10"))
        start, end = query.get("ucstart"), query.get("ucend")
        # With ucdir=older (the default) ucstart is the newer bound, as in MediaWiki.
        newer, older = (start, end) if newest_first else (end, start)
        rows = [c for c in self.data.contributions if c["user"] == user
                and (newer is None or c["timestamp"] <= newer) and (older is None or c["timestamp"] >= older)]
        rows.sort(key=lambda c: (c["timestamp"], c["revid"]), reverse=newest_first)
        if "uccontinue" in query:
            stamp, revid = query["uccontinue"].split("|")
            key = (datetime.strptime(stamp, "%Y%m%d%H%M%S").strftime("%Y-%m-%dT%H:%M:%SZ"), int(revid))
            rows = [c for c in rows if ((c["timestamp"], c["revid"]) <= key if newest_first
                                        else (c["timestamp"], c["revid"]) >= key)]
        page, rest = rows[:limit], rows[limit:]
        answer["query"]["usercontribs"] = [{"userid": self.data.users.get(user, 0), **row} for row in page]
        if rest:
            following = rest[0]
            stamp = following["timestamp"].replace("-", "").replace(":", "").replace("T", "").replace("Z", "")
            answer["continue"] = {"uccontinue": f"{stamp}|{following['revid']}", "continue": "-||"}
            answer.pop("batchcomplete", None)

    def _list_limit(self, value: str) -> int:
        # "max" is what well-behaved clients ask for; list_limit plays the server's cap (small in tests).
        return self.list_limit if value == "max" else min(int(value), self.list_limit)

    def _query_users(self, query: dict[str, str], answer: dict[str, Any]) -> None:
        users = []
        for name in (value for value in query.get("ususers", "").split("|") if value):
            clean = _normalize_title(name)
            if _looks_like_ip(clean):
                users.append({"name": clean, "invalid": True})
            elif clean in self.data.users:
                users.append({"userid": self.data.users[clean], "name": clean})
            else:
                users.append({"name": clean, "missing": True})
        answer["query"]["users"] = users

    def _query_categorymembers(self, query: dict[str, str], answer: dict[str, Any]) -> None:
        title = _normalize_title(query.get("cmtitle", ""))
        limit = self._list_limit(query.get("cmlimit", "10"))
        offset = int(query.get("cmcontinue", "page|0").rsplit("|", 1)[-1])
        wanted_types = set(query.get("cmtype", "page|subcat|file").split("|"))
        members = [m for m in self.data.categories.get(title, [])
                   if ("subcat" if m["ns"] == 14 else "page") in wanted_types]
        answer["query"]["categorymembers"] = members[offset:offset + limit]
        if offset + limit < len(members):
            answer["continue"] = {"cmcontinue": f"page|{offset + limit}", "continue": "-||"}
            answer.pop("batchcomplete", None)


def _looks_like_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def serve_forever(
    host: str, port: int, *, data: FakeData, faults: Iterable[str] = (), live_events_per_second: float = 0.0
) -> None:
    """Run the fake in the foreground until Ctrl-C (for demos: ``python -m crowdsci.wikimedia fake``)."""
    fake = FakeWikimedia(data, host=host, port=port)
    fake.live_events_per_second = live_events_per_second
    for kind in faults:
        fake.faults.queue(kind)
    fake.start()
    print(f"fake Wikimedia on {fake.base_url}: stream {fake.stream_url}, API {fake.api_url}, "
          f"pageviews {fake.pageviews_url}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()
