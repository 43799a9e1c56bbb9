"""What the campaigns' commands share: parsing moments, finding a campaign by slug."""

from __future__ import annotations

from datetime import UTC, datetime

from django.core.management.base import CommandError

from crowdsci.campaigns.models import Campaign


def parse_moment(value: str, option: str) -> datetime:
    """An ISO 8601 moment; without a time zone it is taken as UTC."""
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise CommandError(f"{option} {value!r} is not an ISO 8601 date or time (e.g. 2026-03-01T00:00Z).") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def campaign_by_slug(slug: str) -> Campaign:
    campaign = Campaign.objects.filter(slug=slug).first()
    if campaign is None:
        raise CommandError(f"No campaign has the slug {slug!r}.")
    return campaign
