"""The program page, the calendar (list and month), the map page and its data, projects and editions."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.http import QueryDict

from crowdsci.events.models import Event
from crowdsci.events.tests.factories import make_edition, make_event, make_host, make_project
from crowdsci.network.tests.factories import make_organization

pytestmark = pytest.mark.django_db
EASTERN = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture
def april():
    edition = make_edition(2031)
    georgia = make_host(make_organization("Atlanta Library", state="GA", city="Atlanta"), edition=edition)
    oregon = make_host(make_organization("Portland Library", state="OR", city="Portland"), edition=edition)
    project = make_project("Bird Count")
    make_event(
        georgia,
        title="Atlanta birds",
        starts_at=datetime.datetime(2031, 4, 5, 10, tzinfo=EASTERN),
        latitude=33.75,
        longitude=-84.39,
        projects=[project],
    )
    make_event(
        oregon,
        title="Portland clouds",
        starts_at=datetime.datetime(2031, 4, 5, 13, tzinfo=EASTERN),
        format="virtual",
        virtual_url="https://meet.example.org/x",
        language="es",
    )
    return edition


def test_program_page_presents_the_edition(client, april):
    html = client.get("/citizen-science-month/").content.decode()
    assert "Citizen Science Month 2031" in html
    assert "How to host" in html
    assert "Bird Count" in html


def test_the_list_filters_by_region_format_language_project(client, april):
    def titles(query: str) -> set[str]:
        html = client.get("/citizen-science-month/events/?" + query).content.decode()
        return {title for title in ("Atlanta birds", "Portland clouds") if title in html}

    assert titles("") == {"Atlanta birds", "Portland clouds"}
    assert titles("region=region-2") == {"Atlanta birds"}
    assert titles("state=OR") == {"Portland clouds"}
    assert titles("format=virtual") == {"Portland clouds"}
    assert titles("language=es") == {"Portland clouds"}
    assert titles("project=" + Event.objects.get(title="Atlanta birds").projects.get().slug) == {"Atlanta birds"}
    assert titles("start=2031-04-06") == set()
    assert titles("region=no-such-region") == {"Atlanta birds", "Portland clouds"}  # unknown filters are ignored


def test_a_region_filter_links_the_regions_own_feeds(client, april):
    html = client.get("/citizen-science-month/events/?region=region-2").content.decode()
    assert 'href="/citizen-science-month/regions/region-2/feed.ics"' in html
    assert 'href="/citizen-science-month/regions/region-2/feed.jsonld"' in html


def test_the_month_grid_puts_events_on_their_day(client, april):
    html = client.get("/citizen-science-month/events/?view=month&month=2031-04").content.decode()
    assert "April 2031" in html
    assert 'data-day="2031-04-05"' in html
    cell = html.split('data-day="2031-04-05"')[1].split("</td>")[0]
    assert "Atlanta birds" in cell and "Portland clouds" in cell


def test_the_month_grid_shows_a_few_events_a_day_and_links_the_rest(client, april):
    host = make_host(make_organization("Busy Library", state="GA", city="Athens"), edition=april)
    for hour in range(8, 14):
        make_event(host, title=f"Busy {hour}", starts_at=datetime.datetime(2031, 4, 9, hour, tzinfo=EASTERN))
    html = client.get("/citizen-science-month/events/?view=month&month=2031-04").content.decode()
    cell = html.split('data-day="2031-04-09"')[1].split("</td>")[0]
    assert cell.count("Busy ") == 3
    assert "3 more" in cell and "start=2031-04-09" in cell


def test_the_month_grid_is_rendered_once_per_change_of_the_events(client, april):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from crowdsci.events import services
    from crowdsci.network.tests.factories import make_user

    url = "/citizen-science-month/events/?view=month&month=2031-04&region=region-2&format=bogus"

    def grid_queries() -> tuple[str, list[str]]:
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        return html, [q["sql"] for q in queries if "ROW_NUMBER" in q["sql"]]

    html, ranked = grid_queries()
    assert "Atlanta birds" in html and len(ranked) == 1
    html, ranked = grid_queries()
    assert "Atlanta birds" in html and ranked == []  # from the cache
    # The month's links carry the valid filters only (the grid is cached under them).
    assert 'href="?view=month&amp;month=2031-05&amp;region=region-2" rel="next"' in html
    services.event_cancel(actor=make_user("staffer", role="staff"), event=Event.objects.get(title="Atlanta birds"))
    html, ranked = grid_queries()
    assert len(ranked) == 1
    cell = html.split('data-day="2031-04-05"')[1].split("</td>")[0]
    assert "Atlanta birds" in cell and "badge-cancelled" in cell
    # Another language is another rendering.
    arabic = client.get(url, headers={"cookie": "django_language=ar"}).content.decode()
    assert 'dir="rtl"' in arabic and "Atlanta birds" in arabic


def test_map_data_has_markers_and_state_counts(client, april):
    data = client.get("/citizen-science-month/events/map.json").json()
    assert data["total"] == 2
    assert {state["code"]: state["count"] for state in data["states"]} == {"GA": 1, "OR": 1}
    (marker,) = data["events"]  # the virtual event has no place on the map
    assert marker["title"] == "Atlanta birds" and marker["lat"] == 33.75
    assert client.get("/citizen-science-month/events/map.json?state=OR").json()["events"] == []
    assert "events-map" in client.get("/citizen-science-month/events/map/").content.decode()


def test_map_data_is_served_from_the_cache_until_an_event_changes(client, april):
    from django.core.cache import cache

    from crowdsci.events import services
    from crowdsci.events.forms import EventFilterForm
    from crowdsci.network.tests.factories import make_user

    first = client.get("/citizen-science-month/events/map.json?state=GA").json()
    (marker,) = first["events"]
    # The start in UTC, with the zone the browser writes it in.
    assert (marker["start"], marker["zone"]) == ("2031-04-05T14:00:00+00:00", "America/New_York")
    assert marker["place"] == "Atlanta, GA" and marker["cancelled"] is False
    assert any(key.startswith(":1:events-map:") for key in cache._cache)  # locmem's keys carry a version prefix
    # The same view in another spelling (order, junk, an unknown value) is the same entry.
    spellings = ("state=GA&region=&bogus=1", "region=nowhere&state=GA")
    assert {EventFilterForm(QueryDict(q)).canonical_query() for q in spellings} == {"state=GA"}
    # A change through a service is seen on the next request, in every process: the version is in the database.
    event = Event.objects.get(title="Atlanta birds")
    services.event_cancel(actor=make_user("staffer", role="staff"), event=event)
    (marker,) = client.get("/citizen-science-month/events/map.json?state=GA").json()["events"]
    assert marker["cancelled"] is True
    make_event(event.host, title="Second count", starts_at=datetime.datetime(2031, 4, 6, 10, tzinfo=EASTERN))
    assert client.get("/citizen-science-month/events/map.json?state=GA").json()["total"] == 2


def test_beyond_the_marker_cap_the_map_shows_what_is_still_to_come(client, monkeypatch):
    from django.utils import timezone

    from crowdsci.events import views

    monkeypatch.setattr(views, "MAP_MAX_POINTS", 2)
    host = make_host(make_organization("Atlanta Library", state="GA", city="Atlanta"), edition=make_edition(2031))
    now = timezone.now()
    for days, title in ((-30, "Long past"), (-10, "Last week"), (3, "Soon"), (9, "Later"), (20, "Much later")):
        make_event(host, title=title, starts_at=now + datetime.timedelta(days=days), latitude=33.7, longitude=-84.4)
    data = client.get("/citizen-science-month/events/map.json").json()
    assert data["total"] == 5 and [m["title"] for m in data["events"]] == ["Soon", "Later"]
    data = client.get(
        "/citizen-science-month/events/map.json?end=" + (now + datetime.timedelta(days=5)).date().isoformat()
    ).json()
    # Fewer to come than the cap: the latest past ones fill it, in date order.
    assert [m["title"] for m in data["events"]] == ["Last week", "Soon"]


def test_project_page_lists_events_using_it(client, april):
    project = Event.objects.get(title="Atlanta birds").projects.get()
    html = client.get(project.get_absolute_url()).content.decode()
    assert "Atlanta birds" in html and "Portland clouds" not in html
    assert "Bird Count" in client.get("/citizen-science-month/projects/?q=bird").content.decode()


def test_editions_are_browsable_with_their_numbers(client, april):
    make_edition(2030)
    html = client.get("/citizen-science-month/editions/").content.decode()
    assert "Citizen Science Month 2030" in html and "Citizen Science Month 2031" in html
    assert client.get("/citizen-science-month/editions/2031/").status_code == 200
    assert client.get("/citizen-science-month/editions/1999/").status_code == 404


def test_without_an_edition_the_program_page_says_so(client):
    assert "has not been announced" in client.get("/citizen-science-month/").content.decode()
    assert client.get("/citizen-science-month/events/").status_code == 404
