"""The campaign pages in a real browser (Debian's Chromium): signing in with Wikipedia and registering, the live
feed updating without a reload, claims seen from another session, the map pin, Arabic, and axe-core."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from crowdsci.campaigns.models import Participant, StreamConsumer
from crowdsci.campaigns.services import map as map_services
from crowdsci.campaigns.services import worklists
from crowdsci.campaigns.tests.page_factories import make_campaign, make_credited_edit, make_participant
from crowdsci.core.testing import axe_serious_violations
from crowdsci.network.models import RoleAssignment
from crowdsci.network.tests.factories import make_organization, make_user
from crowdsci.wikimedia.fake_oauth import FakeOAuthUser

pytestmark = pytest.mark.django_db(transaction=True)


def watch_csp(page) -> list[str]:
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text else None)
    return blocked


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])


def test_sign_in_with_wikipedia_and_register(live_server, page, fake_oauth):
    make_campaign("spring", name="Spring 2027")
    fake_oauth.sign_in_as(FakeOAuthUser("Browser Editor", sub=4242))
    blocked = watch_csp(page)

    page.goto(live_server.url + "/campaigns/spring/register/")
    page.get_by_role("button", name="Sign in with Wikipedia").click()
    expect(page.get_by_role("link", name="Your profile")).to_be_visible()  # signed in, back on the page
    expect(page).to_have_url(re.compile(r"/campaigns/spring/register/$"))
    expect(page.get_by_role("textbox", name="Wikipedia username")).to_have_value("Browser Editor")
    expect(page.get_by_role("textbox", name="Wikipedia username")).to_be_disabled()
    page.get_by_role("button", name="Register", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Browser Editor")
    participant = Participant.objects.get()
    assert participant.wikipedia_username == "Browser Editor"
    assert axe_serious_violations(page) == []
    assert blocked == []


def test_a_tagged_edit_appears_in_the_feed_and_totals_without_a_reload(live_server, page):
    campaign = make_campaign("spring", name="Spring 2027")
    StreamConsumer.objects.create(name="recentchange", last_seen_at=__import__("django.utils.timezone").utils
                                  .timezone.now())
    blocked = watch_csp(page)
    page.goto(live_server.url + "/campaigns/spring/")
    expect(page.locator("#total-nlm")).to_have_text("0")
    page.evaluate("window.__not_reloaded = true")

    make_credited_edit(campaign, user="Live Editor", title="Metformin", citations=3, nlm=2)

    expect(page.locator("#total-nlm")).to_have_text("2", timeout=15_000)
    expect(page.locator(".feed-list")).to_contain_text("Metformin")
    expect(page.locator(".feed-list")).to_contain_text("Live Editor")
    assert page.evaluate("window.__not_reloaded") is True
    assert axe_serious_violations(page) == []
    assert blocked == []


def test_the_dashboard_works_without_javascript(live_server, browser):
    campaign = make_campaign("spring")
    make_credited_edit(campaign, user="Static Editor", title="Zinc", nlm=1)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/campaigns/spring/")
    expect(page.locator(".feed-list")).to_contain_text("Zinc")
    expect(page.locator("#daily-table")).to_be_attached()
    context.close()


def test_a_claim_is_seen_taken_from_another_session(live_server, page, browser):
    owner = make_user(role=RoleAssignment.Role.ORGANIZER, organization=make_organization())
    campaign = make_campaign("spring")
    worklist = worklists.worklist_create(actor=owner, campaign=campaign, name="Cardiology")
    worklists.worklist_add_titles(actor=owner, worklist=worklist, titles=["Atrial fibrillation"])
    alice, bob = make_user("alice"), make_user("bob")
    make_participant(campaign, "Alice", user=alice)
    make_participant(campaign, "Bob", user=bob)
    url = f"{live_server.url}/campaigns/spring/worklists/{worklist.pk}/"

    sign_in(page, live_server, alice)
    page.goto(url)
    page.get_by_role("button", name="Claim Atrial fibrillation").click()
    expect(page.locator(".claim-mine")).to_have_text("You are on it")

    other = browser.new_context()
    bob_page = other.new_page()
    sign_in(bob_page, live_server, bob)
    bob_page.goto(url)
    expect(bob_page.locator(".claim-taken")).to_contain_text("Taken")
    expect(bob_page.get_by_role("button", name="Claim Atrial fibrillation")).to_have_count(0)
    other.close()


def test_drop_a_pin_see_it_on_the_map_then_remove_it(live_server, page):
    campaign = make_campaign("spring")
    user = make_user("mapper")
    make_participant(campaign, "Mapper", user=user)
    blocked = watch_csp(page)
    sign_in(page, live_server, user)
    page.goto(live_server.url + "/campaigns/spring/map/")
    expect(page.locator("#participant-map path").first).to_be_attached(timeout=10_000)  # the states are drawn
    page.locator("#participant-map").click(position={"x": 300, "y": 150})
    expect(page.get_by_label("Latitude")).not_to_have_value("")
    page.get_by_label("Town or city").fill("Somewhere")
    page.get_by_role("button", name="Add my pin").click()
    expect(page.locator(".message-success")).to_contain_text("Your pin is on the map")
    expect(page.locator(".pin-single")).to_have_count(1, timeout=10_000)
    expect(page.locator("#pin-table")).to_contain_text("Somewhere")
    assert axe_serious_violations(page) == []

    page.get_by_role("button", name="Remove my pin").click()
    expect(page.locator(".message-success")).to_contain_text("removed")
    expect(page.locator(".pin-single")).to_have_count(0)
    assert blocked == []


def test_pins_cluster_and_regions_are_shaded(live_server, page):
    campaign = make_campaign("spring")
    library = make_organization("Atlanta Library", state="GA", city="Atlanta")
    for index in range(3):
        user = make_user(f"near{index}")
        make_participant(campaign, f"Near {index}", user=user, organization=library)
        map_services.map_pin_set(user=user, campaign=campaign, latitude=33.7 + index / 10, longitude=-84.4)
    page.goto(live_server.url + "/campaigns/spring/map/")
    expect(page.locator(".pin-cluster")).to_have_text("3", timeout=10_000)


def test_the_list_participant_page_and_dashboard_in_arabic(live_server, page):
    campaign = make_campaign("spring", name="Spring 2027")
    person = make_participant(campaign, "Alice Editor")
    make_credited_edit(campaign, user="Alice Editor", participant=person, nlm=2)
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    page.goto(live_server.url + "/campaigns/spring/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert axe_serious_violations(page) == []
    page.context.clear_cookies()
    for path in ("/campaigns/", f"/campaigns/spring/participants/{person.pk}/"):
        page.goto(live_server.url + path)
        assert axe_serious_violations(page) == [], path
