"""``manage.py campaign_create SLUG --name NAME --hashtag TAG ... --start ISO --end ISO``: a campaign from a script."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from crowdsci.campaigns.errors import CampaignsError
from crowdsci.campaigns.models import Campaign
from crowdsci.campaigns.services.campaigns import campaign_create

from ._common import parse_moment


class Command(BaseCommand):
    help = "Create a #CiteNLM campaign. A hashtag is accepted with or without its '#'."

    def add_arguments(self, parser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--name", required=True)
        parser.add_argument("--hashtag", action="append", required=True, dest="hashtags", metavar="TAG")
        parser.add_argument("--wiki", action="append", dest="wikis", metavar="DBNAME", help="default: enwiki")
        parser.add_argument("--namespace", action="append", dest="namespaces", type=int, metavar="N",
                            help="default: 0 (articles)")
        parser.add_argument("--start", required=True, help="ISO 8601; without a time zone, UTC")
        parser.add_argument("--end", required=True, help="ISO 8601; without a time zone, UTC")
        parser.add_argument("--all-participant-edits", action="store_true",
                            help="also credit every edit of registered participants during the period")
        parser.add_argument("--theme", default="")

    def handle(self, *args: object, **options) -> None:
        try:
            campaign = campaign_create(
                actor=None,
                name=options["name"],
                slug=options["slug"],
                hashtags=options["hashtags"],
                wikis=options["wikis"],
                namespaces=options["namespaces"],
                start=parse_moment(options["start"], "--start"),
                end=parse_moment(options["end"], "--end"),
                credit_mode=(
                    Campaign.CreditMode.ALL_PARTICIPANT_EDITS
                    if options["all_participant_edits"]
                    else Campaign.CreditMode.HASHTAG
                ),
                theme=options["theme"],
            )
        except CampaignsError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"created {campaign.slug}: {campaign.hashtags_display()} on {', '.join(campaign.wikis)}, "
            f"{campaign.start:%Y-%m-%d %H:%M} to {campaign.end:%Y-%m-%d %H:%M} UTC"
        )
