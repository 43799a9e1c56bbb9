"""``manage.py track_edits``: the long-running consumer of the recentchange stream (see tracking/ingest.py)."""

from __future__ import annotations

import threading

from django.core.management.base import BaseCommand, CommandError

from crowdsci.campaigns.tracking.ingest import StreamIngest
from crowdsci.core.locking import leadership, stop_requested

from ._common import parse_moment


class Command(BaseCommand):
    help = (
        "Follow the recentchange stream (WIKIMEDIA_STREAM_URL) and store every campaign's matching edits, resuming "
        "after the last stored batch. SIGTERM or Ctrl-C: finish the batch and exit 0."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--since", help="on the first start, read from this moment (ISO 8601) instead of now")
        parser.add_argument("--stream-url", help="default: the WIKIMEDIA_STREAM_URL setting")
        parser.add_argument("--stop-when-idle", type=float, metavar="SECONDS",
                            help="exit after this many seconds without an event (tests, benchmarks)")

    def handle(self, *args: object, **options) -> None:
        # One active tracker whatever is started: the others wait as hot standbys (exit 0 on SIGTERM meanwhile).
        # SIGTERM/SIGINT are caught from the start, so one that lands just as a standby takes over stops cleanly.
        with stop_requested() as stopping, leadership("tracker", should_stop=stopping.is_set) as active:
            if active:
                self._track(stopping, **options)

    def _track(self, stopping: threading.Event, **options) -> None:
        since = parse_moment(options["since"], "--since") if options["since"] else None
        ingest = StreamIngest(stream_url=options["stream_url"], since=since)
        idle_limit = options["stop_when_idle"]
        idle = 0.0
        ingest.start()
        self.stdout.write(f"tracking edits from {ingest.stream_url}")
        try:
            while not stopping.is_set() and not ingest.finished:
                read = ingest.step()
                idle = 0.0 if read else idle + ingest.batch_seconds
                if idle_limit is not None and idle >= idle_limit:
                    break
        finally:
            ingest.stop()
        self.stdout.write(f"stopped after {ingest.events_read} events, {ingest.matched} new edits stored")
        if ingest.error is not None:
            raise CommandError(f"the stream failed: {ingest.error}")
