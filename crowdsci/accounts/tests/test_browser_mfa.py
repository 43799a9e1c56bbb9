"""Browser test: a staff member is made to set up two-factor sign-in, then signs in with a code and with a recovery
code. The codes are computed here with allauth's own RFC 6238 functions, as an authenticator app would."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import Page, expect

from crowdsci.core.testing import PASSWORD, axe_serious_violations
from crowdsci.network.tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def _code(secret: str, *, step: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()


def test_staff_set_up_two_factor_then_sign_in_with_a_code_and_a_recovery_code(live_server, page: Page, settings):
    settings.MFA_REQUIRED_FOR_STAFF = True
    settings.MFA_TOTP_TOLERANCE = 1  # lets the second sign-in use the next period's code instead of waiting for it
    make_user("grace", role="staff", superuser=True)

    _sign_in(page, live_server.url, "grace@example.org")
    expect(page.get_by_text("Network staff must set up two-factor sign-in")).to_be_visible()
    # allauth asks for the password once more before changing how one signs in.
    expect(page.get_by_role("heading", name="Confirm Access")).to_be_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Activate Authenticator App")).to_be_visible()
    assert axe_serious_violations(page) == []
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.get_by_label("Authenticator code").fill(_code(secret))
    page.get_by_role("button", name="Activate").click()

    page.goto(live_server.url + "/accounts/2fa/recovery-codes/")
    codes = page.locator("#recovery_codes").input_value().split()
    assert len(codes) == 10
    page.goto(live_server.url + "/admin/")
    expect(page.get_by_role("heading", name="Administration", exact=True)).to_be_visible()

    # Signing in again asks for a code after the password.
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Sign out", exact=True).click()  # the header's
    _sign_in(page, live_server.url, "grace@example.org")
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    assert axe_serious_violations(page) == []
    page.get_by_label("Code").fill("000000" if _code(secret, step=1) != "000000" else "111111")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    page.get_by_label("Code").fill(_code(secret, step=1))
    page.get_by_role("button", name="Sign In").click()
    page.goto(live_server.url + "/admin/")
    expect(page.get_by_role("heading", name="Administration", exact=True)).to_be_visible()

    # A recovery code works once.
    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Sign out", exact=True).click()  # the header's
    _sign_in(page, live_server.url, "grace@example.org")
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Sign In").click()
    page.goto(live_server.url + "/staff/status/")
    expect(page.get_by_role("heading", name="Status", exact=True)).to_be_visible()
