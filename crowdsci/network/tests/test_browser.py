"""The directory's filters in a real browser, and axe-core on the directory, organization and import pages."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from crowdsci.core.testing import axe_serious_violations
from crowdsci.network.models import Affiliation
from crowdsci.network.organization_csv import COLUMNS
from crowdsci.network.tests.factories import make_organization, make_user


def libraries() -> None:
    arsl = Affiliation.objects.get(code="arsl")
    make_organization("Atlanta Public Library", state="GA", city="Atlanta", affiliations=[arsl])
    make_organization("Savannah Hospital Library", state="GA", city="Savannah", type="hospital")
    make_organization("Portland College Library", state="OR", city="Portland", type="academic")


def watch_csp(page) -> list[str]:
    blocked: list[str] = []
    page.on(
        "console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None
    )
    return blocked


@pytest.mark.django_db(transaction=True)
def test_directory_filters_update_results_and_url(live_server, page):
    libraries()
    blocked = watch_csp(page)
    page.goto(live_server.url + "/network/directory/")
    results = page.locator("#directory-results")
    expect(results.get_by_role("link", name="Portland College Library")).to_be_visible()
    assert axe_serious_violations(page) == []

    page.get_by_label("Region").select_option(label="Region 2")
    expect(page).to_have_url(re.compile(r"region=region-2"))
    expect(results.get_by_role("link", name="Portland College Library")).to_have_count(0)
    expect(results.get_by_role("link", name="Atlanta Public Library")).to_be_visible()

    page.get_by_label("Type").select_option(label="Hospital / health sciences library")
    expect(page).to_have_url(re.compile(r"type=hospital"))
    expect(results.get_by_role("link", name="Atlanta Public Library")).to_have_count(0)
    expect(results).to_contain_text("1 member organization")

    page.get_by_label("Type").select_option(label="Community-based organization")
    expect(results).to_contain_text("No member organization matches these filters.")
    assert axe_serious_violations(page) == []
    results.get_by_role("link", name="Clear filters").first.click()
    expect(page).to_have_url(live_server.url + "/network/directory/")
    expect(results.get_by_role("link", name="Portland College Library")).to_be_visible()
    assert blocked == []


@pytest.mark.django_db(transaction=True)
def test_directory_filters_work_without_javascript(live_server, browser):
    libraries()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/network/directory/")
    page.get_by_label("State or territory").select_option("OR")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"state=OR"))
    expect(page.locator("#directory-results").get_by_role("link", name="Portland College Library")).to_be_visible()
    expect(page.locator("#directory-results").get_by_role("link", name="Atlanta Public Library")).to_have_count(0)
    context.close()


@pytest.mark.django_db(transaction=True)
def test_organization_page_is_accessible(live_server, page):
    organization = make_organization(
        "Atlanta Public Library", state="GA", city="Atlanta", website="https://atlanta.example.org", address="1 Main St"
    )
    page.goto(f"{live_server.url}/network/organizations/{organization.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Atlanta Public Library")
    assert axe_serious_violations(page) == []


@pytest.mark.django_db(transaction=True)
def test_import_page_preview_and_errors_are_accessible(live_server, page, tmp_path):
    client = Client()
    client.force_login(make_user("staff", role="staff"))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    blocked = watch_csp(page)
    page.goto(live_server.url + "/network/import/")
    assert axe_serious_violations(page) == []

    good = tmp_path / "good.csv"
    good.write_text(",".join(COLUMNS) + "\nMacon Library,public,,Macon,GA,,,,arsl,,\n", encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Preview: nothing has been imported yet")).to_be_visible()
    assert axe_serious_violations(page) == []
    page.get_by_role("button", name="Import these organizations").click()
    expect(page.get_by_text("Imported: 1 created, 0 updated.")).to_be_visible()

    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(COLUMNS) + "\nBad,castle,,X,ZZ,,,,,,\n", encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name=re.compile("nothing was imported"))).to_be_visible()
    assert axe_serious_violations(page) == []
    assert blocked == []
