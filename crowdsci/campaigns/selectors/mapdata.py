"""The participant map's data: coarse pins (opt-in), clustered in the browser, and participant counts per region
for the shading. A pin carries no name unless the participant is shown by name on the boards."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count

from crowdsci.campaigns.models import Campaign, MapPin, Participant
from crowdsci.campaigns.selectors.dashboard import participant_public_name
from crowdsci.network.models import Jurisdiction, Region


def pins_public(campaign: Campaign) -> list[dict]:
    pins = MapPin.objects.filter(participant__campaign=campaign, participant__left__isnull=True).select_related(
        "participant__user__profile"
    )
    return [
        {"lat": float(pin.latitude), "lon": float(pin.longitude), "place": pin.place,
         "name": participant_public_name(pin.participant) or ""}
        for pin in pins.order_by("id")
    ]


def region_counts(campaign: Campaign) -> list[dict]:
    """Participants per region (through their organization's state), every region listed."""
    counts = dict(
        Participant.objects.filter(campaign=campaign, left__isnull=True, organization__isnull=False)
        .values_list("organization__jurisdiction__region").annotate(count=Count("id")).values_list(
            "organization__jurisdiction__region", "count")
    )
    return [{"number": region.number, "name": region.name, "participants": counts.get(region.pk, 0)}
            for region in Region.objects.order_by("number")]


# us-atlas's names where they differ from the network's reference data.
US_ATLAS_NAMES = {
    "U.S. Virgin Islands": "United States Virgin Islands",
    "Northern Mariana Islands": "Commonwealth of the Northern Mariana Islands",
}


def state_regions() -> dict[str, int]:
    """us-atlas shape name -> region number (us-atlas names its shapes by name)."""
    return {US_ATLAS_NAMES.get(name, name): number
            for name, number in Jurisdiction.objects.values_list("name", "region__number")}


def tile_url() -> str:
    return getattr(settings, "CAMPAIGN_MAP_TILE_URL", "")


def map_json(campaign: Campaign) -> dict:
    return {"pins": pins_public(campaign), "regions": region_counts(campaign), "states": state_regions(),
            "tile_url": tile_url(), "tile_attribution": getattr(settings, "CAMPAIGN_MAP_TILE_ATTRIBUTION", "")}
