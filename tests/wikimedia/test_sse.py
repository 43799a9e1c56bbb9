"""The SSE parser: fields, multi-line data, comments, line ends, and chunk boundaries anywhere."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from crowdsci.wikimedia.sse import ServerSentEvent, SSEParser


def parse_all(chunks: list[bytes]) -> list[ServerSentEvent]:
    parser = SSEParser()
    events: list[ServerSentEvent] = []
    for chunk in chunks:
        events.extend(parser.feed(chunk))
    return events


def test_parses_id_event_and_data() -> None:
    events = parse_all([b'event: message\nid: [{"offset":1}]\ndata: {"a": 1}\n\n'])
    assert events == [ServerSentEvent("message", b'{"a": 1}', '[{"offset":1}]')]


def test_multi_line_data_is_joined_with_newlines() -> None:
    events = parse_all([b"data: first\ndata:second\ndata\ndata:  indented\n\n"])
    assert events[0].data == b"first\nsecond\n\n indented"


def test_comments_and_heartbeats_are_ignored() -> None:
    events = parse_all([b":ok\n\n:\n\n: heartbeat\ndata: x\n\n"])
    assert [event.data for event in events] == [b"x"]


def test_default_event_type_is_message_and_unknown_fields_are_ignored() -> None:
    events = parse_all([b"foo: bar\ndata: x\n\nevent: other\ndata: y\n\n"])
    assert [(event.event, event.data) for event in events] == [("message", b"x"), ("other", b"y")]


def test_event_without_data_is_not_dispatched_but_its_id_counts() -> None:
    parser = SSEParser()
    assert parser.feed(b"id: 7\n\n") == []
    assert parser.last_event_id == "7"
    assert parser.feed(b"data: x\n\n")[0].id == "7"


def test_id_with_nul_is_ignored() -> None:
    events = parse_all([b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n"])
    assert [event.id for event in events] == ["1", "1"]


def test_incomplete_event_is_never_dispatched() -> None:
    parser = SSEParser("start")
    assert parser.feed(b"id: 9\ndata: {\"half\": ") == []
    assert parser.last_event_id == "start"


def test_crlf_and_cr_line_ends_even_when_split_between_chunks() -> None:
    events = parse_all([b"data: a\r", b"\n\r", b"\ndata: b\r\r", b"data: c\r\n\r\n"])
    assert [event.data for event in events] == [b"a", b"b", b"c"]


def test_retry_field_is_reported() -> None:
    assert parse_all([b"retry: 2500\ndata: x\n\n"])[0].retry_ms == 2500


sse_text = st.text(alphabet=st.characters(blacklist_characters="\r\n\x00", blacklist_categories=("Cs",)), max_size=30)


@given(
    events=st.lists(st.tuples(st.lists(sse_text, min_size=1, max_size=3), sse_text), min_size=1, max_size=5),
    cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=10),
    line_end=st.sampled_from([b"\n", b"\r\n", b"\r"]),
)
def test_any_chunking_gives_the_same_events(events: list[tuple[list[str], str]], cuts: list[int],
                                            line_end: bytes) -> None:
    stream = b""
    for data_lines, event_id in events:
        stream += b"id: " + event_id.encode() + line_end
        for line in data_lines:
            stream += b"data: " + line.encode() + line_end
        stream += line_end
    positions = sorted({cut % (len(stream) + 1) for cut in cuts})
    chunks = [stream[start:end] for start, end in zip([0, *positions], [*positions, len(stream)], strict=True)]
    whole = parse_all([stream])
    assert parse_all(chunks) == whole
    assert [event.data.decode() for event in whole] == ["\n".join(lines) for lines, _ in events]
