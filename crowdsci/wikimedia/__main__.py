"""Command line: ``python -m crowdsci.wikimedia stream …`` follows edits by hashtag; ``… fake …`` runs the fake.

Examples::

    python -m crowdsci.wikimedia fake --port 8001
    python -m crowdsci.wikimedia stream --url http://127.0.0.1:8001/v2/stream/recentchange \\
        --hashtag CiteNLM --wiki enwiki --contact you@example.org

``stream`` prints edits only (recentchange types ``edit`` and ``new``): a log entry or a category change whose
comment carries the hashtag is not an edit. Its contact address comes from ``--contact`` or, as for the site,
the ``WIKIMEDIA_CONTACT`` environment variable.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from crowdsci.wikimedia.common import build_user_agent
from crowdsci.wikimedia.errors import WikimediaError
from crowdsci.wikimedia.events import MalformedEvent, recent_change_to_json_dict
from crowdsci.wikimedia.eventstreams import EDIT_TYPES, RECENTCHANGE_URL, EventStreamClient
from crowdsci.wikimedia.fake import DEFAULT_DATA_DIR, DEFAULT_STREAM_FILE, FAULT_KINDS, FakeData, serve_forever

# The same variable the site's settings read (crowdsci/settings.py, WIKIMEDIA_CONTACT).
CONTACT_ENVIRONMENT_VARIABLE = "WIKIMEDIA_CONTACT"


def load_state(path: Path, url: str) -> str | None:
    """The last event id saved for this stream URL, or None to start at the live end."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except ValueError:
        print(f"ignoring unreadable state file {path}", file=sys.stderr)
        return None
    return state.get("last_event_id") if state.get("url") == url else None


def save_state(path: Path, url: str, last_event_id: str | None) -> None:
    """Write the resume point atomically, so a crash mid-write never leaves a broken file."""
    if last_event_id is None:
        return
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps({"url": url, "last_event_id": last_event_id}), encoding="utf-8")
    os.replace(temporary, path)


def run_stream(arguments: argparse.Namespace, output: TextIO) -> int:
    contact = arguments.contact or os.environ.get(CONTACT_ENVIRONMENT_VARIABLE, "")
    user_agent = build_user_agent(contact, tool="crowdsci-stream")
    state_path = Path(arguments.state_file)
    client = EventStreamClient(
        arguments.url, user_agent=user_agent, hashtags=arguments.hashtag, wikis=arguments.wiki or None,
        types=EDIT_TYPES, last_event_id=load_state(state_path, arguments.url), since=arguments.since,
    )
    printed = 0
    try:
        for item in client.events():
            if isinstance(item, MalformedEvent):
                print(f"skipped a malformed event {item.event_id}: {item.reason}", file=sys.stderr)
                continue
            output.write(json.dumps(recent_change_to_json_dict(item), ensure_ascii=False) + "\n")
            output.flush()
            # Saved after the line is out: a crash in between repeats at most this one edit on restart.
            save_state(state_path, arguments.url, client.last_event_id)
            printed += 1
            if arguments.limit is not None and printed >= arguments.limit:
                break
    except KeyboardInterrupt:
        print("interrupted; resume point saved", file=sys.stderr)
    finally:
        save_state(state_path, arguments.url, client.last_event_id)
        client.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m crowdsci.wikimedia", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    stream = commands.add_parser("stream", help="print edits (not log entries) carrying a hashtag as JSON lines")
    stream.add_argument("--url", default=RECENTCHANGE_URL, help="EventStreams recentchange URL")
    stream.add_argument("--hashtag", action="append", required=True, help="hashtag to follow (repeatable)")
    stream.add_argument("--wiki", action="append", help="only this wiki, e.g. enwiki (repeatable)")
    stream.add_argument("--state-file", default="wikimedia-stream.state.json", help="where the resume point is kept")
    stream.add_argument("--since", help="start here (ISO 8601 or ms) when the state file has no resume point")
    stream.add_argument("--contact", help=f"e-mail or URL for the User-Agent (or ${CONTACT_ENVIRONMENT_VARIABLE})")
    stream.add_argument("--limit", type=int, help="stop after this many matching edits")

    fake = commands.add_parser("fake", help="run the fake Wikimedia server (EventStreams, Action API, pageviews)")
    fake.add_argument("--host", default="127.0.0.1")
    fake.add_argument("--port", type=int, default=8001)
    fake.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    fake.add_argument("--stream-file", default=DEFAULT_STREAM_FILE, help="recorded ndjson file to stream")
    fake.add_argument("--hashtag-every", type=int, default=7, help="add a #CiteNLM variant to every n-th event")
    fake.add_argument("--fault", action="append", default=[], choices=sorted(FAULT_KINDS),
                      help="queue a fault for the next matching request (repeatable)")
    fake.add_argument("--live-rate", type=float, default=0.0, metavar="EVENTS_PER_SECOND",
                      help="replay the recorded events forever at this rate, stamped with the time they are sent")
    return parser


def main(argv: Sequence[str] | None = None, output: TextIO | None = None) -> int:
    arguments = build_parser().parse_args(argv)
    try:
        if arguments.command == "stream":
            return run_stream(arguments, output or sys.stdout)
        data = FakeData.load(arguments.data_dir, arguments.stream_file, hashtag_every=arguments.hashtag_every or None)
        serve_forever(arguments.host, arguments.port, data=data, faults=arguments.fault,
                      live_events_per_second=arguments.live_rate)
        return 0
    except WikimediaError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
