"""An incremental Server-Sent Events parser that works on raw bytes (the WHATWG "event stream" rules).

It is written for the firehose: it splits on newlines once per chunk and keeps ``data`` as bytes, so a caller can
look at the payload (see ``HashtagFilter.might_match``) before paying for a decode or a JSON parse.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ServerSentEvent:
    """One dispatched event. ``id`` is the stream's last event id after this event (what to resume from)."""

    event: str
    data: bytes
    id: str | None
    retry_ms: int | None = None


class SSEParser:
    """Feed it byte chunks as they arrive; it returns the events completed by each chunk.

    An event is only returned once its terminating blank line has arrived, so a connection that drops in the middle
    of an event never yields a half event: the partial lines stay in the buffer, and a new connection should start
    with a new parser. Comment lines (``:`` heartbeats) and unknown fields are ignored. Line ends may be LF, CRLF
    or CR.
    """

    def __init__(self, last_event_id: str | None = None) -> None:
        self.last_event_id = last_event_id
        self._remainder = b""
        self._data_lines: list[bytes] = []
        self._event_type = ""
        self._id_buffer = last_event_id
        self._retry_ms: int | None = None
        self._carriage_return_pending = False

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        if not chunk:
            return []
        if self._carriage_return_pending:
            # A CR ended the previous chunk; a LF starting this one belongs to the same CRLF line end.
            self._carriage_return_pending = False
            if chunk.startswith(b"\n"):
                chunk = chunk[1:]
        if b"\r" in chunk:
            self._carriage_return_pending = chunk.endswith(b"\r")
            chunk = chunk.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        lines = (self._remainder + chunk).split(b"\n") if self._remainder else chunk.split(b"\n")
        self._remainder = lines.pop()
        events: list[ServerSentEvent] = []
        # Locals instead of attributes: this loop runs for every line of the firehose.
        data_lines = self._data_lines
        event_type = self._event_type
        id_buffer = self._id_buffer
        retry_ms = self._retry_ms
        last_event_id = self.last_event_id
        for line in lines:
            if not line:
                # The last event id moves on at each blank line (dispatch), never in the middle of an event.
                last_event_id = id_buffer
                if data_lines:
                    data = data_lines[0] if len(data_lines) == 1 else b"\n".join(data_lines)
                    events.append(ServerSentEvent(event_type or "message", data, id_buffer, retry_ms))
                    data_lines = []
                event_type = ""
                continue
            if line.startswith(b"data: "):
                data_lines.append(line[6:])
            elif line.startswith(b"id: "):
                if b"\0" not in line:
                    id_buffer = line[4:].decode("utf-8", "replace")
            elif line == b"event: message":
                event_type = "message"
            elif line[0] == 0x3A:  # ":" starts a comment, used by servers as a heartbeat
                continue
            else:
                name, colon, value = line.partition(b":")
                if colon and value.startswith(b" "):
                    value = value[1:]
                if name == b"data":  # "data:x" or a bare "data" (an empty line of data)
                    data_lines.append(value)
                elif name == b"event":
                    event_type = value.decode("utf-8", "replace")
                elif name == b"id":
                    if b"\0" not in value:
                        id_buffer = value.decode("utf-8", "replace")
                elif name == b"retry" and value.isdigit():
                    retry_ms = int(value)
        self._data_lines = data_lines
        self._event_type = event_type
        self._id_buffer = id_buffer
        self._retry_ms = retry_ms
        self.last_event_id = last_event_id
        return events
