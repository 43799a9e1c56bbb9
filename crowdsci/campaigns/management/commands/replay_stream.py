"""``manage.py replay_stream FILE.ndjson [--speed N]``: recorded recentchange events through the same path."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crowdsci.campaigns.tracking.ingest import recorded_changes, replay


class Command(BaseCommand):
    help = "Feed recorded recentchange events (one JSON object a line) through matching, storing and crediting."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--speed", type=float, default=0.0,
                            help="play N times faster than the events' own timestamps (default 0: at once)")

    def handle(self, *args: object, file: Path, speed: float, **options) -> None:
        if speed < 0:
            raise CommandError("--speed must be 0 or more.")
        try:
            stream = file.open("rb")
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from error
        with stream:
            read, malformed, stored, _ids = replay(recorded_changes(stream), speed=speed)
        self.stdout.write(f"{read} events read, {malformed} malformed (skipped), {stored} new edits stored")
