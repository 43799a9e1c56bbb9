"""The lending cycle in a real browser, and axe-core on the request form and the requester's page."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from crowdsci.core.testing import axe_serious_violations
from crowdsci.kits import services
from crowdsci.kits.models import KitCopy, KitRequest
from crowdsci.kits.tests.factories import make_copy, make_kit_type, make_request, priority_affiliation
from crowdsci.network.tests.factories import make_organization, make_user


def signed_in_page(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context()
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


def watch_csp(page) -> list[str]:
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    return blocked


@pytest.mark.django_db(transaction=True)
def test_request_during_the_hold_confirm_lift_ship_return_sanitize(live_server, page, browser, settings):
    settings.KITS_SANITATION_TURNAROUND_DAYS = 0
    make_kit_type()
    copy = make_copy("TTW-77", region=2)
    staff = make_user("staff-b", role="staff")
    rep = make_user("rep-b", role="coordinator", region=2)
    make_request(name="Already Waiting", priority=True)  # ahead of us in the queue
    make_organization("Waycross Bookmobile", state="GA", city="Waycross", affiliations=[priority_affiliation("abos")])
    services.shipping_hold_set(actor=staff, on=True, reason="National emergency")
    blocked = watch_csp(page)

    # A library requests a kit while shipping is paused.
    page.goto(live_server.url + "/kits/request/")
    expect(page.get_by_role("heading", name="Kit shipping is paused network-wide")).to_be_visible()
    assert axe_serious_violations(page) == []
    page.get_by_label("Organization").select_option(label="Waycross Bookmobile — Waycross, GA")
    page.get_by_label("Contact name").fill("Wanda Librarian")
    page.get_by_label("Contact email").fill("wanda@example.org")
    page.get_by_label("Shipping address").fill("1 Plant Avenue, Waycross, GA")
    page.get_by_label("Intended use").fill("Water testing at the bookmobile stops")
    page.get_by_label("Start date").fill("2099-05-01")
    page.get_by_label("End date").fill("2099-05-15")
    page.get_by_label("Expected audience size").fill("40")
    page.get_by_role("button", name="Send the request").click()
    expect(page).to_have_url(re.compile(r"/kits/requests/[0-9a-f-]+/$"))
    requester_url = page.url
    expect(page.locator(".kits-place")).to_have_text("2")
    expect(page.get_by_role("heading", name="Kit shipping is paused network-wide")).to_be_visible()
    assert axe_serious_violations(page) == []
    kit_request = KitRequest.objects.get(organization__name="Waycross Bookmobile")
    assert kit_request.affiliation_codes == ["abos"]

    # The representative confirms receipt.
    rep_page = signed_in_page(browser, live_server, rep)
    rep_page.goto(f"{live_server.url}/kits/manage/requests/{kit_request.pk}/")
    rep_page.get_by_role("button", name="Confirm receipt of this request").click()
    expect(rep_page.locator(".kits-status")).to_have_text("Receipt confirmed")
    assert axe_serious_violations(rep_page) == []

    # Staff move it ahead (with a reason), then lift the hold: the kit is allocated to it.
    staff_page = signed_in_page(browser, live_server, staff)
    staff_page.goto(f"{live_server.url}/kits/manage/requests/{kit_request.pk}/")
    staff_page.get_by_label("New place in the queue").fill("1")
    staff_page.get_by_label("Reason for the move").fill("Event date fixed by the county")
    staff_page.get_by_role("button", name="Move").click()
    expect(staff_page.locator(".kits-place")).to_have_text("1")
    staff_page.goto(live_server.url + "/kits/manage/")
    assert axe_serious_violations(staff_page) == []
    staff_page.get_by_label("Reason").fill("Carriers running again")
    staff_page.get_by_role("button", name="Resume shipping and allocate kits").click()
    expect(staff_page.get_by_text("Shipping has resumed.")).to_be_visible()

    # The requester sees the offer and confirms the address and dates.
    page.goto(requester_url)
    expect(page.get_by_role("heading", name=re.compile("A kit is ready for you"))).to_be_visible()
    assert axe_serious_violations(page) == []
    page.get_by_role("button", name="Confirm and ship the kit to this address").click()
    expect(page.locator(".kits-status")).to_have_text("Confirmed, waiting to ship")

    # Staff ship it, mark it delivered, record the return and the sanitation.
    staff_page.goto(f"{live_server.url}/kits/manage/requests/{kit_request.pk}/")
    staff_page.get_by_label("Carrier").fill("UPS")
    staff_page.get_by_label("Tracking number").fill("1Z-BROWSER")
    staff_page.get_by_role("button", name="Mark as shipped").click()
    expect(staff_page.locator(".kits-status")).to_have_text("Shipped")
    staff_page.get_by_role("button", name="Mark as delivered").click()
    expect(staff_page.locator(".kits-status")).to_have_text("Delivered")
    staff_page.goto(f"{live_server.url}/kits/manage/copies/{copy.pk}/")
    staff_page.get_by_role("group", name="Damaged parts").get_by_label("Thermometer").check()
    staff_page.get_by_role("button", name="Record the return").click()
    expect(staff_page.locator(".kits-status")).to_have_text("Returned, awaiting sanitation")
    assert axe_serious_violations(staff_page) == []
    for step in copy.kit_type.sanitation_steps:
        staff_page.get_by_label(step).check()
    staff_page.get_by_role("button", name="Record sanitation").click()
    expect(staff_page.locator(".kits-status")).to_have_text("Available")
    copy.refresh_from_db()
    assert copy.status == KitCopy.Status.AVAILABLE

    page.goto(requester_url)
    expect(page.locator(".kits-status")).to_have_text("Returned")
    expect(page.locator(".kits-history")).to_contain_text("Shipped")
    assert blocked == []
