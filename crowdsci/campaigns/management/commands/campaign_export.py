"""``manage.py campaign_export SLUG [--format csv|jsonl] [--output FILE]``: every tracked edit, one row each.

The same writer as the pages' edits.csv. Usernames are written as they are, whatever display a participant chose:
whoever runs a management command already has the database (the pages hide them from everyone but staff)."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from crowdsci.campaigns.tracking import export

from ._common import campaign_by_slug


class Command(BaseCommand):
    help = f"Write every tracked edit of a campaign ({', '.join(export.COLUMNS)}), streamed."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--format", choices=["csv", "jsonl"], default="csv")
        parser.add_argument("--output", help="a file to write (default: standard output)")

    def handle(self, *args: object, slug: str, format: str, output: str | None, **options) -> None:
        campaign = campaign_by_slug(slug)
        writer = export.write_csv if format == "csv" else export.write_jsonl
        if output is None:
            count = writer(campaign, self.stdout if self.stdout is not None else sys.stdout, reveal_anonymous=True)
        else:
            try:
                stream = open(output, "w", encoding="utf-8", newline="")  # noqa: SIM115 -- closed below
            except OSError as error:
                raise CommandError(f"cannot write {output}: {error.strerror}") from error
            with stream:
                count = writer(campaign, stream, reveal_anonymous=True)
            self.stderr.write(f"{count} edits written to {output}")
