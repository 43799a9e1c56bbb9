"""``manage.py refresh_edits [SLUG]``: re-check tracked edits for reverts and hidden revisions, retry failed ones."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from crowdsci.campaigns.tracking import refresh

from ._common import campaign_by_slug


class Command(BaseCommand):
    help = (
        "Re-read tracked edits through the API: reverted (mw-reverted) and hidden revisions stop counting; failed "
        "edits are tried again. With a slug, every edit of that campaign; without, the campaigns running now or "
        "ended in the last 30 days."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug", nargs="?")

    def handle(self, *args: object, slug: str | None = None, **options) -> None:
        if slug is not None:
            campaign_by_slug(slug)
        outcome = refresh.refresh(refresh.campaigns_to_refresh(slug))
        self.stdout.write(
            f"campaigns: {', '.join(outcome.campaigns) or 'none'}; checked {outcome.checked}, "
            f"newly reverted {outcome.reverted}, newly hidden {outcome.hidden}, failed retried "
            f"{outcome.retried_failed}, due pending credited {outcome.credited_due}"
        )
        for error in outcome.errors:
            self.stderr.write(f"skipped: {error}")
