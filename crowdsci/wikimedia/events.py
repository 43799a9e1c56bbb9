"""Typed ``recentchange`` events, and the parse from one SSE payload."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from crowdsci.wikimedia.errors import MalformedEventError


@dataclass(frozen=True, slots=True)
class RecentChange:
    """One ``mediawiki.recentchange`` event, with the fields the tracker uses.

    ``event_id`` is the SSE id to resume after this event (``Last-Event-ID``). Revision and length fields are
    None for events that have none (log events, page creations have no old revision).
    """

    wiki: str
    type: str
    namespace: int
    title: str
    revision_old: int | None
    revision_new: int | None
    user: str
    bot: bool
    timestamp: datetime
    comment: str
    length_old: int | None
    length_new: int | None
    event_id: str | None
    server_name: str = ""


@dataclass(frozen=True, slots=True)
class MalformedEvent:
    """An event the stream could not parse. It is handed to the caller in place of the event and then skipped."""

    event_id: str | None
    data: bytes
    reason: str


def _optional_int(container: Any, key: str) -> int | None:
    if not isinstance(container, dict):
        return None
    value = container.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise MalformedEventError(f"{key} is not an integer: {value!r}")
    return value


def recent_change_from_dict(payload: Any, event_id: str | None = None) -> RecentChange:
    """Build a RecentChange from a decoded event; raises MalformedEventError if required fields are wrong."""
    if not isinstance(payload, dict):
        raise MalformedEventError("the event is not a JSON object")
    try:
        wiki = payload["wiki"]
        change_type = payload["type"]
        namespace = payload["namespace"]
        title = payload["title"]
        timestamp = payload["timestamp"]
    except KeyError as missing:
        raise MalformedEventError(f"missing field {missing.args[0]}") from None
    if not (isinstance(wiki, str) and isinstance(change_type, str) and isinstance(title, str)):
        raise MalformedEventError("wiki, type and title must be strings")
    if isinstance(namespace, bool) or not isinstance(namespace, int):
        raise MalformedEventError(f"namespace is not an integer: {namespace!r}")
    if isinstance(timestamp, bool) or not isinstance(timestamp, int | float):
        raise MalformedEventError(f"timestamp is not a number: {timestamp!r}")
    comment = payload.get("comment") or ""
    user = payload.get("user") or ""
    if not isinstance(comment, str) or not isinstance(user, str):
        raise MalformedEventError("comment and user must be strings")
    revision = payload.get("revision")
    length = payload.get("length")
    try:
        moment = datetime.fromtimestamp(timestamp, tz=UTC)
    except (OverflowError, OSError, ValueError) as error:
        raise MalformedEventError(f"timestamp out of range: {timestamp!r}") from error
    return RecentChange(
        wiki=wiki,
        type=change_type,
        namespace=namespace,
        title=title,
        revision_old=_optional_int(revision, "old"),
        revision_new=_optional_int(revision, "new"),
        user=user,
        bot=bool(payload.get("bot", False)),
        timestamp=moment,
        comment=comment,
        length_old=_optional_int(length, "old"),
        length_new=_optional_int(length, "new"),
        event_id=event_id,
        server_name=str(payload.get("server_name") or ""),
    )


def parse_recent_change(data: bytes | str, event_id: str | None = None) -> RecentChange:
    """Parse one SSE ``data`` payload; raises MalformedEventError for bad JSON or a bad shape."""
    try:
        payload = json.loads(data)
    except (ValueError, RecursionError) as error:  # UnicodeDecodeError is a ValueError; RecursionError: deep nesting
        raise MalformedEventError(f"invalid JSON: {error}") from error
    return recent_change_from_dict(payload, event_id)


def recent_change_to_json_dict(change: RecentChange) -> dict[str, Any]:
    """A JSON-ready dict of the event (timestamp as ISO 8601 UTC), as the command line prints it."""
    return {
        "wiki": change.wiki,
        "type": change.type,
        "namespace": change.namespace,
        "title": change.title,
        "revision_old": change.revision_old,
        "revision_new": change.revision_new,
        "user": change.user,
        "bot": change.bot,
        "timestamp": change.timestamp.isoformat().replace("+00:00", "Z"),
        "comment": change.comment,
        "length_old": change.length_old,
        "length_new": change.length_new,
        "event_id": change.event_id,
        "server_name": change.server_name,
    }
