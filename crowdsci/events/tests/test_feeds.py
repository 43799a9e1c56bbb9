"""iCalendar feeds (network, region, one event) and the JSON-LD list: valid under two parsers, round-tripped,
right across the daylight-saving change, cancelled events kept as cancelled."""

from __future__ import annotations

import datetime
import zoneinfo

import icalendar
import ics
import pytest

from crowdsci.events import services
from crowdsci.events.feeds import ical_calendar
from crowdsci.events.tests.factories import make_edition, make_event, make_host, register
from crowdsci.network.tests.factories import make_organization, make_user

pytestmark = pytest.mark.django_db
UTC = datetime.UTC
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
LOS_ANGELES = zoneinfo.ZoneInfo("America/Los_Angeles")


@pytest.fixture
def across_dst():
    """US daylight saving time starts on 9 March 2031 (second Sunday of March): one event each side."""
    edition = make_edition(2031, starts_on=datetime.date(2031, 3, 1), ends_on=datetime.date(2031, 4, 30))
    host = make_host(make_organization("Chicago Library", state="IL", city="Chicago"), edition=edition)
    west = make_host(make_organization("Fresno Library", state="CA", city="Fresno"), edition=edition)
    before = make_event(
        host,
        title="Before the change",
        starts_at=datetime.datetime(2031, 3, 8, 10, tzinfo=CHICAGO),
        timezone="America/Chicago",
        latitude=41.88,
        longitude=-87.63,
    )
    after = make_event(
        host,
        title="After the change",
        starts_at=datetime.datetime(2031, 3, 10, 10, tzinfo=CHICAGO),
        timezone="America/Chicago",
    )
    pacific = make_event(
        west,
        title="Pacific",
        starts_at=datetime.datetime(2031, 4, 2, 18, tzinfo=LOS_ANGELES),
        timezone="America/Los_Angeles",
    )
    return before, after, pacific


def parse(body: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(body)


def test_the_network_feed_keeps_local_times_across_the_dst_change(client, across_dst):
    response = client.get("/citizen-science-month/events/feed.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = parse(response.content)
    events = {str(component["summary"]): component for component in calendar.walk("VEVENT")}
    assert set(events) == {"Before the change", "After the change", "Pacific"}
    start_before = events["Before the change"].decoded("dtstart")
    start_after = events["After the change"].decoded("dtstart")
    # 10:00 local both days, which is 16:00 UTC before the change and 15:00 UTC after it.
    assert (start_before.hour, start_after.hour) == (10, 10)
    assert start_before.astimezone(UTC).hour == 16 and start_after.astimezone(UTC).hour == 15
    assert b"DTSTART;TZID=America/Chicago:20310308T100000" in response.content
    timezones = {str(tz["tzid"]): tz for tz in calendar.walk("VTIMEZONE")}
    assert set(timezones) == {"America/Chicago", "America/Los_Angeles"}
    # The VTIMEZONE in the file, read on its own (not the tz database), puts the change between the two events.
    described = timezones["America/Chicago"].to_tz()
    assert datetime.datetime(2031, 3, 8, 10, tzinfo=described).utcoffset() == datetime.timedelta(hours=-6)
    assert datetime.datetime(2031, 3, 10, 10, tzinfo=described).utcoffset() == datetime.timedelta(hours=-5)
    assert not calendar.get_missing_tzids()


def test_the_feed_round_trips_through_icalendar_and_reads_the_same_in_ics(client, across_dst):
    body = client.get("/citizen-science-month/events/feed.ics").content
    calendar = parse(body)
    assert parse(calendar.to_ical()).to_ical() == calendar.to_ical()
    other = ics.Calendar(body.decode())
    ours = {str(c["uid"]): c.decoded("dtstart").astimezone(UTC) for c in calendar.walk("VEVENT")}
    theirs = {event.uid: event.begin.datetime.astimezone(UTC) for event in other.events}
    assert ours == theirs


def test_each_event_is_built_from_its_row(across_dst):
    before, _after, _pacific = across_dst
    (component,) = parse(ical_calendar([before], name="x")).walk("VEVENT")
    assert component.decoded("dtstart") == before.starts_at
    assert component.decoded("dtend") == before.ends_at
    assert str(component["status"]) == "CONFIRMED"
    assert str(component["url"]).endswith(before.get_absolute_url())
    assert component["geo"].latitude == pytest.approx(41.88)


def test_a_cancelled_event_stays_in_the_feed_as_cancelled_with_a_higher_sequence(client, across_dst):
    before, _after, _pacific = across_dst
    services.event_cancel(actor=make_user("staffer", role="staff"), event=before, reason="Flood")
    calendar = parse(client.get("/citizen-science-month/events/feed.ics").content)
    (component,) = [c for c in calendar.walk("VEVENT") if str(c["summary"]) == "Before the change"]
    assert str(component["status"]) == "CANCELLED"
    assert int(component["sequence"]) == 1


def test_a_region_feed_has_only_its_region_and_an_unknown_region_is_404(client, across_dst):
    calendar = parse(client.get("/citizen-science-month/regions/region-5/feed.ics").content)
    assert [str(c["summary"]) for c in calendar.walk("VEVENT")] == ["Pacific"]
    response = client.get("/citizen-science-month/regions/region-99/feed.ics")
    assert response.status_code == 404
    # Said plainly to the calendar app or script that asked, with the regions that do exist.
    assert response["Content-Type"].startswith("text/plain")
    assert "There is no region region-99" in response.content.decode()
    assert "region-5" in response.content.decode()


def test_a_region_json_ld_list_has_only_its_region_cancelled_events_marked(client, across_dst):
    _before, _after, pacific = across_dst
    services.event_cancel(actor=make_user("staffer", role="staff"), event=pacific, reason="Storm")
    response = client.get("/citizen-science-month/regions/region-5/feed.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    data = response.json()
    assert data["@type"] == "ItemList"
    (item,) = [element["item"] for element in data["itemListElement"]]
    assert (item["name"], item["eventStatus"]) == ("Pacific", "https://schema.org/EventCancelled")
    assert item["startDate"] == "2031-04-02T18:00:00-07:00"
    # The region in the address wins over one in the query.
    other = client.get("/citizen-science-month/regions/region-5/feed.jsonld?region=region-6").json()
    assert [e["item"]["name"] for e in other["itemListElement"]] == ["Pacific"]
    chicago = client.get("/citizen-science-month/regions/region-6/feed.jsonld").json()
    assert [e["item"]["name"] for e in chicago["itemListElement"]] == ["Before the change", "After the change"]


def test_an_unknown_region_or_filter_in_the_json_ld_feed_is_a_clear_error(client, across_dst):
    response = client.get("/citizen-science-month/regions/region-99/feed.jsonld")
    assert response.status_code == 404
    body = response.json()
    assert "There is no region region-99" in body["error"]
    assert body["regions"][:2] == ["region-1", "region-2"]
    # A mistyped filter is refused, not ignored (which would send the whole network's events).
    response = client.get("/citizen-science-month/events/feed.jsonld?region=region-99&format=in_person")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"region"}


def test_the_add_to_calendar_file_is_one_event(client, across_dst):
    _before, after, _pacific = across_dst
    response = client.get(f"/citizen-science-month/events/{after.slug}/event.ics")
    assert response["Content-Disposition"].startswith("attachment")
    assert [str(c["summary"]) for c in parse(response.content).walk("VEVENT")] == ["After the change"]


def test_the_json_ld_feed_is_a_schema_org_item_list(client, across_dst):
    response = client.get("/citizen-science-month/events/feed.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    data = response.json()
    assert data["@context"] == "https://schema.org" and data["@type"] == "ItemList"
    items = [element["item"] for element in data["itemListElement"]]
    assert [item["name"] for item in items] == ["Before the change", "After the change", "Pacific"]
    assert items[0]["startDate"] == "2031-03-08T10:00:00-06:00"
    assert items[1]["startDate"] == "2031-03-10T10:00:00-05:00"
    assert items[0]["location"]["geo"]["latitude"] == 41.88
    assert items[0]["maximumAttendeeCapacity"] == 10 and "remainingAttendeeCapacity" not in items[0]
    # Served from the cache until an event changes (a registration changes nothing the list shows) ...
    register(across_dst[0], "Ada")
    assert client.get("/citizen-science-month/events/feed.jsonld").content == response.content
    # ... and rebuilt when one does.
    services.event_cancel(actor=make_user("staffer", role="staff"), event=across_dst[2])
    items = [e["item"] for e in client.get("/citizen-science-month/events/feed.jsonld").json()["itemListElement"]]
    assert items[2]["eventStatus"] == "https://schema.org/EventCancelled"


def test_the_feed_is_rebuilt_when_an_event_changes(client, across_dst):
    first = client.get("/citizen-science-month/events/feed.ics").content
    assert client.get("/citizen-science-month/events/feed.ics").content == first  # served from the cache
    before, _after, _pacific = across_dst
    staff = make_user("staffer", role="staff")
    services.event_cancel(actor=staff, event=before)
    changed = client.get("/citizen-science-month/events/feed.ics").content
    assert changed != first
    assert b"STATUS:CANCELLED" in changed
