"""``manage.py campaign_recount SLUG``: recompute a campaign's aggregates from its edits and compare."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from crowdsci.campaigns.tracking import aggregates

from ._common import campaign_by_slug


class Command(BaseCommand):
    help = "Recount a campaign's figures from its edits; print each figure that drifted (exit 1), or 'drift: none'."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")

    def handle(self, *args: object, slug: str, **options) -> None:
        campaign = campaign_by_slug(slug)
        drifted = aggregates.drift(campaign)
        if not drifted:
            self.stdout.write("drift: none")
            return
        for item in drifted:
            self.stdout.write(f"drift: {item}")
        raise SystemExit(1)
