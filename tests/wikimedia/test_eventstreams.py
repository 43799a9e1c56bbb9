"""The EventStreams client against the fake: typed events, hashtag filter, and resumption through every fault."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from crowdsci.wikimedia.common import RetryPolicy
from crowdsci.wikimedia.errors import RetriesExhaustedError, UnexpectedResponseError
from crowdsci.wikimedia.events import MalformedEvent, RecentChange, parse_recent_change
from crowdsci.wikimedia.eventstreams import EDIT_TYPES, EventStreamClient, StreamItem, parse_or_report, select_event
from crowdsci.wikimedia.fake import FakeData, FakeWikimedia, RecordedEvent
from crowdsci.wikimedia.hashtags import HashtagFilter

from .conftest import RecordingSleep

FAST_RETRY = RetryPolicy(max_attempts=5, base_delay=0.01, max_delay=0.1)


def make_client(fake: FakeWikimedia, user_agent: str, sleep: RecordingSleep, **options: object) -> EventStreamClient:
    options.setdefault("retry", FAST_RETRY)
    options.setdefault("timeout", httpx.Timeout(5.0))
    return EventStreamClient(fake.stream_url, user_agent=user_agent, sleep=sleep, **options)  # type: ignore[arg-type]


def offsets(items: list[StreamItem]) -> list[int]:
    return [json.loads(item.event_id or "")[0]["offset"] for item in items]


def all_offsets(fake_data: FakeData) -> list[int]:
    return [event.offset for event in fake_data.events]


def take(client: EventStreamClient, count: int) -> list[StreamItem]:
    return list(itertools.islice(client.events(), count))


def test_yields_typed_events_in_order(fake: FakeWikimedia, fake_data: FakeData, user_agent: str,
                                      no_wait: RecordingSleep) -> None:
    with make_client(fake, user_agent, no_wait) as client:
        items = take(client, len(fake_data.events))
    assert offsets(items) == all_offsets(fake_data)
    first = items[0]
    assert first == RecentChange(
        wiki="enwiki", type="edit", namespace=0, title="EFL Championship", revision_old=1166824248,
        revision_new=1167689309, user="87.12.215.232", bot=False,
        timestamp=datetime(2023, 7, 29, 7, 51, 39, tzinfo=UTC),
        comment="/* League champions, runners-up and play-off finalists */", length_old=91108, length_new=91166,
        event_id=first.event_id, server_name="en.wikipedia.org",
    )
    assert sum(isinstance(item, RecentChange) and item.bot for item in items) == 2
    request_headers = fake.requests[0][3]
    assert request_headers["User-Agent"].startswith("crowdsci/")
    assert request_headers["Accept"] == "text/event-stream"
    assert no_wait.delays == []


def test_hashtag_filter_yields_exactly_the_matching_edits(fake: FakeWikimedia, fake_data: FakeData, user_agent: str,
                                                          no_wait: RecordingSleep) -> None:
    wanted = HashtagFilter(["CiteNLM"])
    expected = [e.offset for e in fake_data.events if wanted.matches_comment(json.loads(e.raw).get("comment") or "")]
    assert len(expected) >= 8  # the fake adds #CiteNLM variants to every 7th real event
    with make_client(fake, user_agent, no_wait, hashtags=["#citenlm"]) as client:
        items = take(client, len(expected))
        assert offsets(items) == expected
        assert client.last_event_id is not None
    assert all("citenlm" in item.comment.casefold() for item in items if isinstance(item, RecentChange))


def test_wiki_filter(fake: FakeWikimedia, fake_data: FakeData, user_agent: str, no_wait: RecordingSleep) -> None:
    with make_client(fake, user_agent, no_wait, wikis=["enwiki"]) as client:
        assert len(take(client, len(fake_data.events))) == len(fake_data.events)
    fake.close_at_end = True
    with make_client(fake, user_agent, no_wait, wikis=["dewiki"], retry=RetryPolicy(max_attempts=2, base_delay=0)) \
            as client, pytest.raises(RetriesExhaustedError):
        take(client, 1)


def events_of_every_type(fake_data: FakeData, comment: str) -> list[RecordedEvent]:
    """The first recorded edit as each recentchange type, all with `comment`."""
    first = fake_data.events[0]
    made = []
    for offset, change_type in enumerate(["log", "categorize", "edit", "external", "new", "log"]):
        payload = {**json.loads(first.raw), "type": change_type, "comment": comment}
        made.append(RecordedEvent(json.dumps(payload).encode(), first.topic, first.partition, offset,
                                  first.timestamp_ms + offset))
    return made


def test_type_filter_keeps_edits_and_page_creations(fake_data: FakeData, user_agent: str,
                                                    no_wait: RecordingSleep) -> None:
    events = events_of_every_type(fake_data, "cited #CiteNLM")
    with FakeWikimedia(FakeData(events=events), heartbeat_interval=0.05) as fake:
        fake.close_at_end = True
        with make_client(fake, user_agent, no_wait, hashtags=["CiteNLM"], types=EDIT_TYPES,
                         retry=RetryPolicy(max_attempts=2, base_delay=0)) as client:
            items: list[StreamItem] = []
            with pytest.raises(RetriesExhaustedError):  # the fake closes after its last event, twice
                items.extend(client.events())
    assert [(item.type, offset) for item, offset in zip(items, offsets(items), strict=True)
            if isinstance(item, RecentChange)] == [("edit", 2), ("new", 4)]
    assert len(items) == 2


def test_without_a_type_filter_every_type_passes(fake_data: FakeData) -> None:
    events = events_of_every_type(fake_data, "cited #CiteNLM")
    wanted = HashtagFilter(["CiteNLM"])
    chosen = [select_event(event.raw, None, wanted) for event in events]
    assert [item.type for item in chosen if isinstance(item, RecentChange)] == [
        "log", "categorize", "edit", "external", "new", "log"]
    only_edits = [select_event(event.raw, None, wanted, types=EDIT_TYPES) for event in events]
    assert [item.type for item in only_edits if isinstance(item, RecentChange)] == ["edit", "new"]


@pytest.mark.parametrize("after_events", [0, 1, 37])
def test_drop_in_the_middle_of_an_event_loses_and_repeats_nothing(
    fake: FakeWikimedia, fake_data: FakeData, user_agent: str, no_wait: RecordingSleep, after_events: int
) -> None:
    fake.faults.queue("drop_mid_event", target="stream", after_events=after_events)
    fake.faults.queue("drop_mid_event", target="stream", after_events=20)
    with make_client(fake, user_agent, no_wait) as client:
        items = take(client, len(fake_data.events))
        assert client.connections == 3
    assert offsets(items) == all_offsets(fake_data)
    assert len(no_wait.delays) == 2
    resumed = [headers.get("Last-Event-ID") for _, _, _, headers in fake.requests]
    assert resumed[0] is None
    if after_events:  # resumes after the last complete event, never after the half one
        assert json.loads(resumed[1])[0]["offset"] == fake_data.events[after_events - 1].offset
    else:
        assert resumed[1] is None


def test_malformed_event_is_reported_and_skipped(fake: FakeWikimedia, fake_data: FakeData, user_agent: str,
                                                 no_wait: RecordingSleep) -> None:
    fake.faults.queue("malformed_json", target="stream", after_events=3)
    with make_client(fake, user_agent, no_wait) as client:
        items = take(client, len(fake_data.events))
    malformed = [item for item in items if isinstance(item, MalformedEvent)]
    assert len(malformed) == 1
    assert malformed[0].event_id == items[3].event_id
    assert "invalid JSON" in malformed[0].reason
    assert offsets(items) == all_offsets(fake_data)
    assert client.connections == 1


@pytest.mark.parametrize(("kind", "retry_after"), [("http_429", 7), ("http_503", 11), ("http_503", None)])
def test_retry_after_is_honoured_on_429_and_503(fake: FakeWikimedia, fake_data: FakeData, user_agent: str,
                                                no_wait: RecordingSleep, kind: str, retry_after: int | None) -> None:
    fake.faults.queue(kind, target="stream", retry_after=retry_after)
    with make_client(fake, user_agent, no_wait) as client:
        items = take(client, 5)
    assert offsets(items) == all_offsets(fake_data)[:5]
    if retry_after is None:
        assert 0 < no_wait.delays[0] <= FAST_RETRY.base_delay
    else:
        assert no_wait.delays == [retry_after]


def test_stalled_stream_times_out_and_resumes(fake: FakeWikimedia, fake_data: FakeData, user_agent: str,
                                              no_wait: RecordingSleep) -> None:
    fake.faults.queue("stall", target="stream", after_events=10, delay=4.0)
    with make_client(fake, user_agent, no_wait, timeout=httpx.Timeout(5.0, read=0.6)) as client:
        items = take(client, len(fake_data.events))
        assert client.connections == 2
    assert offsets(items) == all_offsets(fake_data)


def test_slow_response_past_the_timeout_is_retried(fake: FakeWikimedia, fake_data: FakeData, user_agent: str,
                                                   no_wait: RecordingSleep) -> None:
    fake.faults.queue("slow", target="stream", delay=4.0)
    with make_client(fake, user_agent, no_wait, timeout=httpx.Timeout(5.0, read=0.6)) as client:
        items = take(client, 3)
        assert client.connections == 2
    assert offsets(items) == all_offsets(fake_data)[:3]


def test_server_close_reconnects_from_the_last_id(fake: FakeWikimedia, fake_data: FakeData, user_agent: str,
                                                  no_wait: RecordingSleep) -> None:
    fake.faults.queue("close", target="stream", after_events=50)
    with make_client(fake, user_agent, no_wait) as client:
        items = take(client, len(fake_data.events))
    assert offsets(items) == all_offsets(fake_data)
    assert json.loads(fake.requests[1][3]["Last-Event-ID"])[0]["offset"] == fake_data.events[49].offset


def test_server_restart_loses_and_repeats_nothing(fake: FakeWikimedia, fake_data: FakeData, user_agent: str,
                                                  no_wait: RecordingSleep) -> None:
    def restart_on_second_try(attempt: int) -> None:
        if attempt == 2:
            fake.start()

    no_wait.hook = restart_on_second_try
    # The stall keeps the rest of the events on the server side, so they must come from the restarted server.
    fake.faults.queue("stall", target="stream", after_events=30, delay=5.0)
    with make_client(fake, user_agent, no_wait) as client:
        stream = client.events()
        items = list(itertools.islice(stream, 30))
        fake.stop()  # the server goes away mid-stream; the first reconnect is refused
        items += list(itertools.islice(stream, len(fake_data.events) - 30))
        stream.close()
    assert offsets(items) == all_offsets(fake_data)
    assert len(no_wait.delays) == 2


def test_retries_stop_at_their_bound(fake: FakeWikimedia, user_agent: str, no_wait: RecordingSleep) -> None:
    fake.faults.queue("http_503", target="stream", times=10)
    with make_client(fake, user_agent, no_wait, retry=RetryPolicy(max_attempts=3, base_delay=1.0)) as client:
        with pytest.raises(RetriesExhaustedError) as raised:
            take(client, 1)
        assert client.connections == 3
    assert raised.value.attempts == 3
    assert len(no_wait.delays) == 2
    assert 0.5 <= no_wait.delays[0] < 1.0 and 1.0 <= no_wait.delays[1] < 2.0  # exponential, with jitter


def test_refused_connection_gives_up_after_the_bound(user_agent: str, no_wait: RecordingSleep) -> None:
    fake = FakeWikimedia(FakeData())
    fake.start()
    url = fake.stream_url
    fake.stop()
    with EventStreamClient(url, user_agent=user_agent, sleep=no_wait, retry=RetryPolicy(max_attempts=4)) as client, \
            pytest.raises(RetriesExhaustedError, match="ConnectError"):
        take(client, 1)
    assert len(no_wait.delays) == 3


def test_since_and_initial_last_event_id(fake: FakeWikimedia, fake_data: FakeData, user_agent: str,
                                         no_wait: RecordingSleep) -> None:
    tenth = fake_data.events[10]
    since = datetime.fromtimestamp(tenth.timestamp_ms / 1000, UTC)
    with make_client(fake, user_agent, no_wait, since=since) as client:
        items = take(client, 5)
    assert offsets(items)[0] <= tenth.offset
    assert fake.requests[-1][2]["since"] == since.strftime("%Y-%m-%dT%H:%M:%SZ")
    with make_client(fake, user_agent, no_wait, since=since, last_event_id=tenth.sse_id) as client:
        items = take(client, 5)
    assert offsets(items) == all_offsets(fake_data)[11:16]  # Last-Event-ID wins over since
    with make_client(fake, user_agent, no_wait, since=tenth.timestamp_ms) as client:
        assert offsets(take(client, 1))[0] <= tenth.offset


def test_bad_request_is_not_retried(fake: FakeWikimedia, user_agent: str, no_wait: RecordingSleep) -> None:
    with make_client(fake, user_agent, no_wait, last_event_id="not json") as client, \
            pytest.raises(UnexpectedResponseError, match="400"):
        take(client, 1)
    assert no_wait.delays == []


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"{", "invalid JSON"), (b"[]", "not a JSON object"), (b"[" * 100_000, "invalid JSON"),
     (b"\xff\xfe{", "invalid JSON"), (b'{"wiki":"x"}', "missing field"),
     (b'{"wiki":"x","type":"edit","namespace":"0","title":"t","timestamp":1}', "namespace"),
     (b'{"wiki":"x","type":"edit","namespace":0,"title":"t","timestamp":1,"revision":{"new":"1"}}', "new")],
)
def test_malformed_payloads(data: bytes, reason: str) -> None:
    from crowdsci.wikimedia.errors import MalformedEventError

    with pytest.raises(MalformedEventError, match=reason):
        parse_recent_change(data)


@given(data=st.binary(max_size=200))
def test_no_payload_escapes_as_an_exception(data: bytes) -> None:
    assert isinstance(parse_or_report(data, "id"), RecentChange | MalformedEvent)


def test_log_event_without_revision_parses(fake_data: FakeData) -> None:
    line = b'{"wiki":"wikidatawiki","type":"log","namespace":0,"title":"Q1","timestamp":1520442004,"user":"u"}'
    change = parse_recent_change(line, "id")
    assert change.revision_new is None and change.length_old is None and change.comment == ""


def test_last_event_id_in_timestamp_form(fake: FakeWikimedia, fake_data: FakeData, user_agent: str,
                                         no_wait: RecordingSleep) -> None:
    # EventStreams also hands out (and accepts) ids holding a Kafka timestamp instead of an offset.
    twentieth = fake_data.events[20]
    position = json.dumps([{"topic": twentieth.topic, "partition": 0, "timestamp": twentieth.timestamp_ms}])
    with make_client(fake, user_agent, no_wait, last_event_id=position) as client:
        items = take(client, 3)
    first_index = all_offsets(fake_data).index(offsets(items)[0])
    assert first_index <= 20
    assert fake_data.events[first_index].timestamp_ms >= twentieth.timestamp_ms
    assert fake.requests[0][3]["Last-Event-ID"] == position


def test_many_faults_on_a_large_real_stream_lose_and_repeat_nothing(user_agent: str,
                                                                   no_wait: RecordingSleep) -> None:
    from .conftest import DATA_DIR

    data = FakeData.load(DATA_DIR, "wikidatawiki_2018-03-07_qs_batch_with_reverts.ndjson", hashtag_every=None)
    wanted = HashtagFilter(["quickstatements"])
    expected = [e.offset for e in data.events if wanted.matches_comment(json.loads(e.raw).get("comment") or "")]
    assert len(expected) == 1063
    with FakeWikimedia(data, heartbeat_interval=0.05) as fake:
        for kind, after_events in [("drop_mid_event", 0), ("drop_mid_event", 311), ("http_503", 0),
                                   ("close", 5), ("drop_mid_event", 1), ("drop_mid_event", 700)]:
            fake.faults.queue(kind, target="stream", after_events=after_events, retry_after=1)
        with make_client(fake, user_agent, no_wait, hashtags=["QuickStatements"]) as client:
            items = take(client, len(expected))
            assert client.connections == 7
    assert offsets(items) == expected


def test_the_live_fake_replays_forever_stamped_now_and_resumes_after_the_last_event(
    fake: FakeWikimedia, fake_data: FakeData, user_agent: str, no_wait: RecordingSleep
) -> None:
    from crowdsci.wikimedia.fake import LIVE_FIRST_OFFSET

    fake.live_events_per_second = 1000.0
    count = len(fake_data.events) + 20  # past the end of the recording: it goes round again
    with make_client(fake, user_agent, no_wait) as client:
        started = datetime.now(UTC).replace(microsecond=0)
        items = take(client, count)
        resume_from = client.last_event_id
    assert offsets(items) == [LIVE_FIRST_OFFSET + n for n in range(count)]
    changes = [item for item in items if isinstance(item, RecentChange)]
    assert changes and all(change.timestamp >= started for change in changes), "stamped when sent, not in 2023"
    with make_client(fake, user_agent, no_wait, last_event_id=resume_from) as client:
        assert offsets(take(client, 3)) == [LIVE_FIRST_OFFSET + count + n for n in range(3)]
