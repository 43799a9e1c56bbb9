"""Browser tests: a person signs up, follows the emailed link, logs in; pages pass axe-core."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from crowdsci.core.testing import PASSWORD, axe_serious_violations
from crowdsci.network.tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_up_verify_by_the_emailed_link_and_log_in(live_server, page: Page):
    page.goto(live_server.url + "/accounts/signup/")
    assert axe_serious_violations(page) == []
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    assert len(mail.outbox) == 1
    link = re.search(r"http://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Your profile", exact=True)).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    page.goto(live_server.url + "/accounts/login/")
    assert axe_serious_violations(page) == []
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Your profile", exact=True)).to_be_visible()
    assert axe_serious_violations(page) == []


def test_switching_to_arabic_turns_the_page_right_to_left(live_server, page: Page):
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    page.get_by_label("Language").select_option("ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert axe_serious_violations(page) == []


def test_the_skip_link_moves_focus_to_the_main_content(live_server, page: Page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


@pytest.mark.parametrize(
    "path",
    ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/no/such/page/"],
)
def test_public_account_pages_and_the_404_page_pass_axe(live_server, page: Page, path: str):
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    assert axe_serious_violations(page) == []


@pytest.mark.parametrize("path", ["/accounts/profile/", "/accounts/email/", "/accounts/password/change/"])
def test_signed_in_account_pages_pass_axe(live_server, page: Page, path: str):
    make_user("rachel")
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("rachel@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("heading", name="Your profile", exact=True)).to_be_visible()
    page.goto(live_server.url + path)
    assert axe_serious_violations(page) == []
