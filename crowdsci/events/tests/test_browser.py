"""The whole path in a real browser (Debian's Chromium): a library signs up, its coordinator approves, the host
registers an event, a visitor finds it on the map and in the calendar and registers, a second visitor is
waitlisted and promoted when the first cancels through the emailed link. The same pages in Arabic are
right-to-left, and axe-core finds no serious or critical violation on them."""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from crowdsci.core.testing import axe_serious_violations
from crowdsci.events.links import registration_cancel_token
from crowdsci.events.models import Event, Registration
from crowdsci.events.tests.factories import make_edition, make_event, make_host, register
from crowdsci.network.tests.factories import make_organization, make_user

pytestmark = pytest.mark.browser


def signed_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context()
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context


def watch_csp(page) -> list[str]:
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    return blocked


@pytest.mark.django_db(transaction=True)
def test_sign_up_approve_register_find_and_the_waitlist(live_server, browser):
    today = timezone.localdate()
    edition = make_edition(
        today.year + 1,
        starts_on=today + datetime.timedelta(days=5),
        ends_on=today + datetime.timedelta(days=40),
        signup_deadline=today + datetime.timedelta(days=3),
    )
    make_organization("Savannah Library", state="GA", city="Savannah", latitude=32.08, longitude=-81.09)

    # 1. A librarian signs the library up.
    librarian = make_user("librarian")
    context = signed_in(browser, live_server, librarian)
    page = context.new_page()
    blocked = watch_csp(page)
    page.goto(live_server.url + "/citizen-science-month/host/")
    page.get_by_label("Your library or organization").select_option(label="Savannah Library")
    page.get_by_label("Contact name").fill("Pat Librarian")
    page.get_by_label("Contact email").fill("pat@example.org")
    page.get_by_label("Planned format").select_option("in_person")
    page.get_by_label("Public Libraries").check()
    page.get_by_label("Expected attendance").fill("30")
    page.get_by_label("Where to ship the program kit").fill("1 Bay Street, Savannah GA")
    page.get_by_role("button", name="Sign up to host").click()
    expect(page.get_by_text("with your regional coordinator for review")).to_be_visible()
    expect(page.get_by_text("Waiting for review")).to_be_visible()
    context.close()

    # 2. The coordinator of Region 2 approves.
    context = signed_in(browser, live_server, make_user("coordinator", role="coordinator", region=2))
    page = context.new_page()
    page.goto(live_server.url + "/citizen-science-month/manage/review/")
    page.get_by_role("link", name="Savannah Library").click()
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("Decision saved")).to_be_visible()
    assert any("approved to host" in message.body for message in mail.outbox)
    context.close()

    # 3. The host registers an event with two places.
    context = signed_in(browser, live_server, librarian)
    page = context.new_page()
    page.goto(live_server.url + "/citizen-science-month/manage/")
    page.get_by_role("link", name="Register an event").click()
    page.get_by_label("Title").fill("Shorebird count")
    page.get_by_label("Description").fill("Count shorebirds on the river walk.")
    page.get_by_label("Date").fill((edition.starts_on + datetime.timedelta(days=2)).isoformat())
    page.get_by_label("Starts at").fill("10:00")
    page.get_by_label("Ends at").fill("12:00")
    page.get_by_label("Capacity").fill("2")
    page.get_by_role("button", name="Register the event").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Shorebird count")
    context.close()

    # 4. A visitor finds it on the map and in the calendar, and registers.
    page = browser.new_page()
    page.goto(live_server.url + "/citizen-science-month/events/map/?region=region-2")
    expect(page.locator("#events-map")).to_have_attribute("data-loaded", "1")
    page.locator(".leaflet-interactive").last.click(force=True)
    expect(page.locator(".event-popup").get_by_role("link", name="Shorebird count")).to_be_visible()
    month = edition.starts_on.strftime("%Y-%m")
    page.goto(live_server.url + f"/citizen-science-month/events/?view=month&month={month}")
    page.locator("td[data-day][tabindex='0']").focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator("td[data-day]:focus")).to_have_count(1)
    page.get_by_role("link", name=re.compile("Shorebird count")).click()
    page.get_by_label("Your name").fill("Ada")
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_label("How many people").fill("2")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered for 2 places")).to_be_visible()

    # 5. A second visitor is waitlisted.
    page.goto(page.url)
    expect(page.get_by_role("button", name="Join the waitlist")).to_be_visible()
    page.get_by_label("Your name").fill("Ben")
    page.get_by_label("Email").fill("ben@example.org")
    page.get_by_role("button", name="Join the waitlist").click()
    expect(page.get_by_text("You are on the waitlist")).to_be_visible()

    # 6. The first cancels through the emailed link; the second is promoted and emailed.
    (confirmation,) = [m for m in mail.outbox if m.to == ["ada@example.org"]]
    link = re.search(r"https?://\S+/cancel/", confirmation.body).group(0)
    page.goto(live_server.url + urlsplit(link).path)  # the email names SITE_URL; the test server is elsewhere
    page.get_by_role("button", name="Cancel my registration").click()
    expect(page.get_by_text("is cancelled")).to_be_visible()
    assert Registration.objects.get(email="ben@example.org").status == Registration.Status.CONFIRMED
    assert any(m.to == ["ben@example.org"] and "A place opened up" in m.subject for m in mail.outbox)
    assert blocked == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_public_pages_are_accessible_and_arabic_is_right_to_left(live_server, page, language):
    today = timezone.localdate()
    edition = make_edition(
        today.year + 1, starts_on=today + datetime.timedelta(days=5), ends_on=today + datetime.timedelta(days=40)
    )
    host = make_host(make_organization("Savannah Library", state="GA", city="Savannah"), edition=edition)
    event = make_event(
        host,
        title="Shorebird count",
        starts_at=timezone.now() + datetime.timedelta(days=7),
        latitude=32.08,
        longitude=-81.09,
    )
    registration = register(event, "Ada")
    cancel_path = reverse("events-registration-cancel", kwargs={"token": registration_cancel_token(registration)})
    blocked = watch_csp(page)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    month = event.local_start.strftime("%Y-%m")
    for path in (
        "/citizen-science-month/",
        f"/citizen-science-month/events/?view=month&month={month}",
        "/citizen-science-month/events/",
        "/citizen-science-month/events/map/",
        event.get_absolute_url(),
        cancel_path,  # the emailed link's page, where a registrant cancels or leaves the waitlist
    ):
        page.goto(live_server.url + path)
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
        if "map" in path:
            expect(page.locator("#events-map")).to_have_attribute("data-loaded", "1")
        assert axe_serious_violations(page) == [], path
    assert blocked == []


@pytest.mark.django_db(transaction=True)
def test_the_host_picks_the_place_on_the_map_or_leaves_it_to_the_directory(live_server, browser):
    today = timezone.localdate()
    edition = make_edition(
        today.year + 1, starts_on=today + datetime.timedelta(days=5), ends_on=today + datetime.timedelta(days=40)
    )
    organization = make_organization("Savannah Library", state="GA", city="Savannah", latitude=32.08, longitude=-81.09)
    librarian = make_user("librarian")
    host = make_host(organization, edition=edition, submitted_by=librarian)
    context = signed_in(browser, live_server, librarian)
    page = context.new_page()
    blocked = watch_csp(page)
    page.goto(live_server.url + f"/citizen-science-month/manage/hosts/{host.pk}/events/new/")
    page.get_by_label("Title").fill("River walk")
    page.get_by_label("Description").fill("Count shorebirds.")
    page.get_by_label("Date").fill((edition.starts_on + datetime.timedelta(days=2)).isoformat())
    page.get_by_label("Starts at").fill("10:00")
    page.get_by_label("Ends at").fill("12:00")
    picker = page.locator("#location-picker")
    expect(picker.locator(".leaflet-interactive").first).to_be_attached()  # the states layer is drawn
    picker.click(position={"x": 200, "y": 150})
    expect(picker).to_have_attribute("data-picked", re.compile(r"^-?\d+\.\d{6},-?\d+\.\d{6}$"))
    latitude, longitude = page.get_by_label("Latitude").input_value(), page.get_by_label("Longitude").input_value()
    assert latitude and longitude
    # Cleared again, then picked again: what is in the fields when saving is what counts.
    page.get_by_role("button", name="Clear the picked point").click()
    expect(page.get_by_label("Latitude")).to_have_value("")
    picker.click(position={"x": 220, "y": 160})
    latitude, longitude = page.get_by_label("Latitude").input_value(), page.get_by_label("Longitude").input_value()
    page.get_by_role("button", name="Register the event").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("River walk")
    event = Event.objects.get(title="River walk")
    assert event.location_source == Event.LocationSource.PICKED
    assert (str(event.latitude), str(event.longitude)) == (latitude, longitude)

    # Without a pick, the directory places it; the edit page shows that place and keeps the fields empty.
    page.goto(live_server.url + f"/citizen-science-month/manage/hosts/{host.pk}/events/new/")
    page.get_by_label("Title").fill("Library table")
    page.get_by_label("Description").fill("Count shorebirds.")
    page.get_by_label("Date").fill((edition.starts_on + datetime.timedelta(days=3)).isoformat())
    page.get_by_label("Starts at").fill("10:00")
    page.get_by_label("Ends at").fill("12:00")
    page.get_by_role("button", name="Register the event").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Library table")
    event = Event.objects.get(title="Library table")
    assert (event.location_source, float(event.latitude)) == (Event.LocationSource.ORGANIZATION, 32.08)
    page.goto(live_server.url + f"/citizen-science-month/manage/events/{event.slug}/edit/")
    expect(page.get_by_label("Latitude")).to_have_value("")
    expect(page.locator("#location-picker-directory")).to_contain_text("The host library's location")
    expect(page.locator("#location-picker")).to_have_attribute("data-directory-lat", "32.080000")
    assert blocked == []
    context.close()
