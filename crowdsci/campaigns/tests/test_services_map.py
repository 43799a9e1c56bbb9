"""The participant map: opt-in, coarse (a tenth of a degree), removable, and never naming the anonymous."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from crowdsci.campaigns.errors import CampaignsError
from crowdsci.campaigns.models import MapPin, Participant
from crowdsci.campaigns.services import map as map_services
from crowdsci.campaigns.tests.page_factories import make_campaign, make_participant
from crowdsci.network.tests.factories import make_organization, make_user

pytestmark = pytest.mark.django_db


def test_a_pin_is_rounded_to_about_ten_kilometres():
    campaign, user = make_campaign(), make_user()
    make_participant(campaign, user=user)
    pin = map_services.map_pin_set(user=user, campaign=campaign, latitude=39.290385, longitude=-76.612189,
                                   place="Baltimore")
    pin.refresh_from_db()
    assert (pin.latitude, pin.longitude) == (Decimal("39.3"), Decimal("-76.6"))


def test_the_database_cannot_hold_a_precise_point():
    campaign = make_campaign()
    participant = make_participant(campaign)
    MapPin.objects.create(participant=participant, latitude=Decimal("39.29"), longitude=Decimal("-76.61"))
    pin = MapPin.objects.get()
    assert (pin.latitude, pin.longitude) == (Decimal("39.3"), Decimal("-76.6"))


def test_out_of_range_coordinates_are_refused():
    campaign, user = make_campaign(), make_user()
    make_participant(campaign, user=user)
    with pytest.raises(CampaignsError):
        map_services.map_pin_set(user=user, campaign=campaign, latitude=95, longitude=0)
    participant = Participant.objects.get(user=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        MapPin.objects.create(participant=participant, latitude=Decimal("91"), longitude=Decimal("0"))


def test_only_participants_put_a_pin_and_they_can_remove_it():
    campaign, user = make_campaign(), make_user()
    with pytest.raises(CampaignsError, match="Register"):
        map_services.map_pin_set(user=user, campaign=campaign, latitude=1, longitude=1)
    make_participant(campaign, user=user)
    map_services.map_pin_set(user=user, campaign=campaign, latitude=1, longitude=1)
    map_services.map_pin_set(user=user, campaign=campaign, latitude=2, longitude=2)  # moves, never two
    assert MapPin.objects.count() == 1
    assert map_services.map_pin_remove(user=user, campaign=campaign) is True
    assert not MapPin.objects.exists()


def test_the_map_json_names_only_those_shown_by_name_and_counts_regions(client: Client):
    campaign = make_campaign("spring")
    library = make_organization("Atlanta Library", state="GA", city="Atlanta")
    shown, hidden = make_user(), make_user()
    make_participant(campaign, "Shown Name", user=shown, organization=library)
    make_participant(campaign, "Hidden Name", user=hidden, display=Participant.Display.ANONYMOUS)
    map_services.map_pin_set(user=shown, campaign=campaign, latitude=33.749, longitude=-84.388, place="Atlanta")
    map_services.map_pin_set(user=hidden, campaign=campaign, latitude=40.7, longitude=-74.0, place="New York")

    data = json.loads(client.get("/campaigns/spring/map.json").content)
    page = client.get("/campaigns/spring/map/").content.decode()

    assert sorted(pin["name"] for pin in data["pins"]) == ["", "Shown Name"]
    assert {"lat": 33.7, "lon": -84.4, "place": "Atlanta", "name": "Shown Name"} in data["pins"]
    assert "Hidden Name" not in page and "Hidden Name" not in json.dumps(data)
    region_two = next(region for region in data["regions"] if region["number"] == 2)
    assert region_two["participants"] == 1
    assert data["states"]["Georgia"] == 2 and data["states"]["United States Virgin Islands"] == 2


def test_the_map_form_sets_and_removes_a_pin(client: Client):
    campaign, user = make_campaign("spring"), make_user()
    make_participant(campaign, user=user)
    client.force_login(user)
    client.post("/campaigns/spring/map/pin/", {"place": "Easton", "latitude": "38.7743", "longitude": "-76.0763"})
    assert MapPin.objects.get().latitude == Decimal("38.8")
    client.post("/campaigns/spring/map/pin/", {"remove": "1"})
    assert not MapPin.objects.exists()


def test_a_campaign_can_hide_its_map(client: Client):
    campaign = make_campaign("spring")
    from crowdsci.campaigns.models import CampaignPage

    CampaignPage.objects.create(campaign=campaign, show_map=False)
    assert client.get("/campaigns/spring/map/").status_code == 404
    assert client.get("/campaigns/spring/map.json").status_code == 404
