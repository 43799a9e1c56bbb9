"""``manage.py backfill_campaign SLUG``: participants' past edits in the period through the same pipeline."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from crowdsci.campaigns.tracking.backfill import BackfillProgress, backfill
from crowdsci.wikimedia import WikimediaError

from ._common import campaign_by_slug

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Fetch the registered participants' contributions in the campaign's period and store the matching ones "
        "(then credited by the task worker). Run again after an interruption: nothing is stored twice."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")

    def handle(self, *args: object, slug: str, **options) -> None:
        campaign = campaign_by_slug(slug)
        started = time.monotonic()

        def show(state: BackfillProgress) -> None:
            filled = int(BAR_WIDTH * state.done / state.total) if state.total else BAR_WIDTH
            elapsed = time.monotonic() - started
            left = elapsed / state.done * (state.total - state.done) if state.done else 0.0
            self.stdout.write(
                f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {state.done}/{state.total} participants, "
                f"{state.contributions} contributions read, {state.stored} new edits, about {left:.0f} s left",
                ending="",
            )
            self.stdout.flush()

        try:
            final = backfill(campaign, progress=show)
        except WikimediaError as error:
            raise CommandError(f"the Wikimedia API kept failing ({error}); run the command again to go on") from error
        self.stdout.write(
            f"\ndone: {final.done} participants, {final.contributions} contributions read, {final.stored} new edits"
        )
