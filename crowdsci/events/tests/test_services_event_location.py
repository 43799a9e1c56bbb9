"""Where an in-person event sits on the map: the point the host picked, or else the member directory's data (the
host library in its own town, the directory's libraries in another town, approximately a library in the state),
and what the edit form, the feeds and the event page make of each."""

from __future__ import annotations

import datetime
from decimal import Decimal

import icalendar
import pytest
from django.utils import timezone

from crowdsci.events import services
from crowdsci.events.forms import EventForm
from crowdsci.events.models import Event
from crowdsci.events.tests.factories import event_fields, make_host
from crowdsci.network.models import Jurisdiction
from crowdsci.network.tests.factories import make_organization, make_user

pytestmark = pytest.mark.django_db
Source = Event.LocationSource


@pytest.fixture
def georgia():
    """A host in Atlanta; two other member libraries in Savannah; one in Macon; none located in Alabama."""
    host = make_host(make_organization("Atlanta Library", state="GA", city="Atlanta", latitude=33.75, longitude=-84.39))
    make_organization("Savannah Main", state="GA", city="Savannah", latitude=32.08, longitude=-81.10)
    make_organization("Savannah East", state="GA", city="savannah ", latitude=32.06, longitude=-81.06)
    make_organization("Macon Library", state="GA", city="Macon", latitude=32.84, longitude=-83.63)
    make_organization("Mobile Library", state="AL", city="Mobile")  # in the directory, without coordinates
    return host, make_user("staffer", role="staff")


def coordinates(event: Event) -> tuple[float, float, str] | tuple[None, None, str]:
    if event.latitude is None:
        return None, None, event.location_source
    return float(event.latitude), float(event.longitude), event.location_source


def test_a_picked_point_is_kept_as_picked(georgia):
    host, staff = georgia
    event = services.event_create(
        actor=staff, host=host,
        fields=event_fields(city="Savannah", latitude=Decimal("32.1"), longitude=Decimal("-81.2")),
    )
    assert coordinates(event) == (32.1, -81.2, Source.PICKED)


def test_in_the_hosts_own_town_the_event_is_at_the_host_library(georgia):
    host, staff = georgia
    event = services.event_create(actor=staff, host=host, fields=event_fields(city=" atlanta"))
    assert coordinates(event) == (33.75, -84.39, Source.ORGANIZATION)


def test_in_another_town_it_is_placed_between_the_directorys_libraries_there(georgia):
    host, staff = georgia
    event = services.event_create(actor=staff, host=host, fields=event_fields(city="Savannah"))
    assert coordinates(event) == (32.07, -81.08, Source.CITY)  # the two Savannah libraries' middle
    assert not event.location_is_approximate


def test_in_a_town_the_directory_does_not_know_it_is_approximately_in_the_state(georgia):
    host, staff = georgia
    event = services.event_create(actor=staff, host=host, fields=event_fields(city="Valdosta"))
    # The located library nearest the middle of Georgia's four: Macon (a real place in the state).
    assert coordinates(event) == (32.84, -83.63, Source.STATE)
    assert event.location_is_approximate


def test_a_state_without_a_located_library_leaves_the_event_off_the_map(georgia):
    host, staff = georgia
    alabama = Jurisdiction.objects.get(code="AL")
    event = services.event_create(actor=staff, host=host, fields=event_fields(city="Mobile", jurisdiction=alabama))
    assert coordinates(event) == (None, None, Source.NONE)


def test_a_virtual_event_has_no_place(georgia):
    host, staff = georgia
    event = services.event_create(
        actor=staff, host=host, fields=event_fields(format="virtual", city="", virtual_url="https://meet.example.org/x")
    )
    assert coordinates(event) == (None, None, Source.NONE)


def test_a_directory_place_follows_the_town_when_edited_but_a_picked_point_stays(georgia):
    host, staff = georgia
    event = services.event_create(actor=staff, host=host, fields=event_fields())
    assert event.location_source == Source.ORGANIZATION
    # The edit form does not carry the directory's coordinates as if picked...
    initial = EventForm.initial_for(event)
    assert (initial["latitude"], initial["longitude"]) == (None, None)
    # ... so a new town moves the event.
    event = services.event_update(actor=staff, event=event, fields=event_fields(city="Macon"))
    assert coordinates(event) == (32.84, -83.63, Source.CITY)
    event = services.event_update(
        actor=staff, event=event,
        fields=event_fields(city="Macon", latitude=Decimal("32.9"), longitude=Decimal("-83.7")),
    )
    initial = EventForm.initial_for(event)
    assert (initial["latitude"], initial["longitude"]) == (Decimal("32.9"), Decimal("-83.7"))
    event = services.event_update(actor=staff, event=event, fields=event_fields(city="Savannah", **_picked(initial)))
    assert coordinates(event) == (32.9, -83.7, Source.PICKED)


def _picked(initial: dict) -> dict:
    return {"latitude": initial["latitude"], "longitude": initial["longitude"]}


def test_an_approximate_place_is_on_the_map_but_not_given_to_partners_as_the_events_geo(client, georgia):
    host, staff = georgia
    edition = host.edition
    edition.starts_on, edition.ends_on = timezone.localdate(), timezone.localdate() + datetime.timedelta(days=60)
    edition.save()
    approximate = services.event_create(actor=staff, host=host, fields=event_fields(title="Valdosta", city="Valdosta"))
    services.event_create(actor=staff, host=host, fields=event_fields(title="Savannah", city="Savannah"))
    markers = {m["title"]: m for m in client.get("/citizen-science-month/events/map.json").json()["events"]}
    assert set(markers) == {"Valdosta", "Savannah"}
    items = {
        e["item"]["name"]: e["item"]
        for e in client.get("/citizen-science-month/events/feed.jsonld").json()["itemListElement"]
    }
    assert "geo" not in items["Valdosta"]["location"] and "geo" in items["Savannah"]["location"]
    calendar = icalendar.Calendar.from_ical(client.get("/citizen-science-month/events/feed.ics").content)
    geo = {str(c["summary"]): c.get("geo") for c in calendar.walk("VEVENT")}
    assert geo["Valdosta"] is None and geo["Savannah"] is not None
    page = client.get(approximate.get_absolute_url()).content.decode()
    assert "approximate place in the state" in page


def test_the_database_refuses_coordinates_without_a_source(georgia):
    from django.db import IntegrityError, transaction

    host, staff = georgia
    event = services.event_create(actor=staff, host=host, fields=event_fields(city="Valdosta"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(location_source="")
