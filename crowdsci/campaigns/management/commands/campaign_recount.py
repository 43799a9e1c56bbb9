"""``manage.py campaign_recount SLUG [--fill-citations]``: recompute a campaign's aggregates from its edits and
compare; with ``--fill-citations``, first store the list of added citations of edits credited before it was kept
(their revisions fetched again through the Action API; figures and aggregates are not touched)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from crowdsci.campaigns.tracking import aggregates, crediting

from ._common import campaign_by_slug


class Command(BaseCommand):
    help = "Recount a campaign's figures from its edits; print each figure that drifted (exit 1), or 'drift: none'."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument(
            "--fill-citations", action="store_true",
            help="fetch the revisions of credited edits that have no list of added citations yet and store it",
        )

    def handle(self, *args: object, slug: str, fill_citations: bool, **options) -> None:
        campaign = campaign_by_slug(slug)
        if fill_citations:
            missing = crediting.citations_missing(campaign.pk)
            report = crediting.fill_citations(missing)
            self.stdout.write(f"citations: {len(report.filled)} edits filled, {len(report.skipped)} left without "
                              f"(hidden, missing or unreachable revisions)")
            for error in report.errors:
                self.stderr.write(f"citations: {error}")
        drifted = aggregates.drift(campaign)
        if not drifted:
            self.stdout.write("drift: none")
            return
        for item in drifted:
            self.stdout.write(f"drift: {item}")
        raise SystemExit(1)
