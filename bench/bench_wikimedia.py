"""Throughput of the EventStreams SSE parser + hashtag filter on recorded real recentchange events.

Run: ``.venv/bin/python bench/bench_wikimedia.py`` (part of ``make bench``). One thread, so the figures are per core.
The recorded events (tests/data/wikimedia/*.ndjson, real EventStreams payloads) are framed as SSE exactly as the
fake server sends them, repeated to at least 200,000 events, and fed in 64 KiB chunks as a socket would deliver
them. The baseline does the obvious thing over the same events in the same run: the same SSE parser, then
``json.loads`` of every event and a regex on its comment. Two more lines compare the filter alone with
``json.loads`` + regex alone (payloads already framed). #quickstatements is a worst case for the pre-filter (it is
in 58% of the events), shown for contrast.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from crowdsci.wikimedia.fake import load_recorded_events  # noqa: E402
from crowdsci.wikimedia.hashtags import HashtagFilter  # noqa: E402
from crowdsci.wikimedia.sse import SSEParser  # noqa: E402

DATA_DIR = REPO_ROOT / "tests" / "data" / "wikimedia"
MINIMUM_EVENTS = 200_000
CHUNK_SIZE = 65_536
TARGET_EVENTS_PER_SECOND = 50_000


def sse_stream() -> tuple[bytes, int]:
    frames = [event.as_sse() for path in sorted(DATA_DIR.glob("*.ndjson")) for event in load_recorded_events(path)]
    return b"".join(frames), len(frames)


def chunks_of(stream: bytes) -> list[bytes]:
    return [stream[start : start + CHUNK_SIZE] for start in range(0, len(stream), CHUNK_SIZE)]


def ours(hashtag: str) -> Callable[[list[bytes], int], tuple[int, int]]:
    from crowdsci.wikimedia.events import RecentChange
    from crowdsci.wikimedia.eventstreams import select_event

    wanted = HashtagFilter([hashtag])

    def run(chunks: list[bytes], repeats: int) -> tuple[int, int]:
        seen = matched = 0
        for _ in range(repeats):
            parser = SSEParser()
            for chunk in chunks:
                for event in parser.feed(chunk):
                    seen += 1
                    if isinstance(select_event(event.data, event.id, wanted), RecentChange):
                        matched += 1
        return seen, matched

    return run


def baseline(hashtag: str) -> Callable[[list[bytes], int], tuple[int, int]]:
    pattern = re.compile(r"(?<![\w/&#＃])[#＃]" + re.escape(hashtag) + r"(?![\w-])", re.IGNORECASE)

    def run(chunks: list[bytes], repeats: int) -> tuple[int, int]:
        seen = matched = 0
        for _ in range(repeats):
            parser = SSEParser()
            for chunk in chunks:
                for event in parser.feed(chunk):
                    seen += 1
                    if pattern.search(json.loads(event.data).get("comment") or ""):
                        matched += 1
        return seen, matched

    return run


def filter_only(hashtag: str) -> Callable[[list[bytes], int], tuple[int, int]]:
    """The pre-filter + exact check alone, on already framed payloads (the SSE parse excluded)."""
    from crowdsci.wikimedia.eventstreams import filter_raw_events

    wanted = HashtagFilter([hashtag])

    def run(payloads: list[bytes], repeats: int) -> tuple[int, int]:
        matched = 0
        for _ in range(repeats):
            matched += sum(1 for _ in filter_raw_events(payloads, wanted))
        return len(payloads) * repeats, matched

    return run


def json_regex_only(hashtag: str) -> Callable[[list[bytes], int], tuple[int, int]]:
    pattern = re.compile(r"(?<![\w/&#＃])[#＃]" + re.escape(hashtag) + r"(?![\w-])", re.IGNORECASE)

    def run(payloads: list[bytes], repeats: int) -> tuple[int, int]:
        matched = 0
        for _ in range(repeats):
            for data in payloads:
                if pattern.search(json.loads(data).get("comment") or ""):
                    matched += 1
        return len(payloads) * repeats, matched

    return run


def measure(
    name: str, runner: Callable[[list[bytes], int], tuple[int, int]], chunks: list[bytes], repeats: int
) -> float:
    runner(chunks, 1)  # warm-up
    started = time.perf_counter()
    seen, matched = runner(chunks, repeats)
    elapsed = time.perf_counter() - started
    rate = seen / elapsed
    print(f"  {name:<44} {seen:>8} events  {matched:>7} matches  {elapsed:6.2f} s  {rate:>10,.0f} events/s/core")
    return rate


def main() -> int:
    stream, per_pass = sse_stream()
    repeats = -(-MINIMUM_EVENTS // per_pass)
    chunks = chunks_of(stream)
    payloads = [event.data for event in SSEParser().feed(stream)]
    print(
        f"wikimedia bench: {per_pass} recorded real events ({len(stream) / per_pass:,.0f} bytes/event as SSE), "
        f"x{repeats} = {per_pass * repeats} events, {CHUNK_SIZE} B chunks, one thread"
    )
    for hashtag in ("CiteNLM", "quickstatements"):
        print(f"hashtag #{hashtag}:")
        fast = measure("SSE parser + hashtag filter (ours)", ours(hashtag), chunks, repeats)
        slow = measure("baseline: SSE parser + json.loads + regex", baseline(hashtag), chunks, repeats)
        print(f"  speed-up: {fast / slow:.1f}x")
        measure("filter alone (payloads already framed)", filter_only(hashtag), payloads, repeats)
        measure("json.loads + regex alone", json_regex_only(hashtag), payloads, repeats)
        if hashtag == "CiteNLM":
            met = fast >= TARGET_EVENTS_PER_SECOND and fast > slow
            # Reported, not enforced: a loaded shared machine must not fail `make bench`.
            print(
                f"  target >= {TARGET_EVENTS_PER_SECOND:,} events/s/core and faster than baseline: "
                f"{'met' if met else 'NOT MET'}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
