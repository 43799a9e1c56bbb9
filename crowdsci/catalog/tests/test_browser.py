"""The catalog in a real browser: navigation, facets with and without JavaScript, search, Arabic, axe-core."""

import re

import pytest
from playwright.sync_api import expect

from crowdsci.catalog.demo import load_demo_catalog
from crowdsci.catalog.models import Guide
from crowdsci.core.testing import axe_serious_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(live_server):
    load_demo_catalog()
    return live_server


def test_home_to_a_topic_to_a_guide(demo, page):
    page.goto(demo.url + "/")
    page.get_by_role("region", name="Browse guides by category").get_by_role("link", name="Topics").click()
    expect(page.locator("h1")).to_have_text("Topics")
    page.get_by_role("link", name="Health Literacy").click()
    expect(page.locator("h1")).to_have_text("Health Literacy")
    page.get_by_role("link", name="Health literacy for public libraries").click()
    expect(page.locator("h1")).to_have_text("Health literacy for public libraries")
    expect(page.locator(".guide-body")).to_contain_text("plain language")


def test_combined_facets_update_in_place_and_give_a_shareable_address(demo, page):
    page.goto(demo.url + "/guides/")
    page.get_by_label(re.compile(r"^Health Literacy \(")).check()
    expect(page).to_have_url(re.compile(r"topics=health-literacy"))
    page.wait_for_load_state("networkidle")  # the swap replaces the form: wait before the next change
    page.get_by_label(re.compile(r"^Public Libraries \(")).check()
    expect(page).to_have_url(re.compile(r"audiences=public-libraries"))
    both = Guide.objects.filter(terms__slug="health-literacy").filter(terms__slug="public-libraries")
    expected = both.count()
    assert expected >= 2
    expect(page.locator(".results-count")).to_have_text(re.compile(rf"^\s*{expected} guides\s*$"))
    providers = both.filter(terms__slug="healthcare-providers").count()
    expect(page.get_by_label(re.compile(r"^Healthcare Providers \("))).to_have_accessible_name(
        re.compile(rf"\({providers}\)")
    )
    shared = page.url
    page.goto(shared)
    expect(page.get_by_label(re.compile(r"^Health Literacy \("))).to_be_checked()
    expect(page.locator(".guide-card")).to_have_count(expected)


def test_facets_work_without_javascript(demo, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo.url + "/guides/")
    # Without JavaScript the filters stay folded in their disclosure, on any screen: open it by hand.
    page.locator("details.facets-disclosure > summary").click()
    page.get_by_label(re.compile(r"^Region 2 \(")).check()
    page.get_by_label(re.compile(r"^Public Libraries \(")).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"regions=region-2"))
    expect(page.locator(".guide-card")).to_have_count(1)
    expect(page.locator(".guide-card h3")).to_have_text("Hurricane season: preparing the library and its patrons")
    context.close()


def test_search_shows_highlighted_results(demo, page):
    page.goto(demo.url + "/guides/")
    page.get_by_label("Search guides").fill("citizen science")
    page.get_by_label("Search guides").press("Enter")
    expect(page).to_have_url(re.compile(r"q=citizen(\+|%20)science"))
    # The guide with both words in its title ranks first, and the matches are marked.
    first = page.locator(".guide-card").first
    expect(first.locator("h3")).to_have_text(re.compile(r"citizen science", re.IGNORECASE))
    expect(first.locator("mark").first).to_be_visible()
    titles = page.locator(".guide-card h3").all_text_contents()
    assert any("SciStarter" in title for title in titles) and any("CitizenScienceMonth" in title for title in titles)
    assert axe_serious_violations(page) == []


def test_pages_in_arabic_are_right_to_left(demo, page):
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": demo.url}])
    for path in ["/", "/guides/", "/guides/topics/", "/guides/guide/health-literacy-for-public-libraries/",
                 "/guides/?q=water&topics=all-of-us"]:  # fmt: skip
        page.goto(demo.url + path)
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("html")).to_have_attribute("lang", "ar")
        assert axe_serious_violations(page) == [], path


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/guides/",
        "/guides/?topics=health-literacy&audiences=public-libraries&regions=region-3",
        "/guides/topics/",
        "/guides/topics/health-literacy/",
        "/guides/guide/docline-interlibrary-loan-requests/",
        "/guides/?q=health",
    ],
)
def test_catalog_pages_have_no_serious_accessibility_violations(demo, page, path):
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(demo.url + path)
    expect(page.locator("h1")).to_be_visible()
    assert axe_serious_violations(page) == []
    assert blocked == []


PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_on_a_phone_the_review_lists_and_a_region_page_do_not_scroll_sideways(demo, page, client, language):
    from crowdsci.network.tests.factories import make_user

    client.force_login(make_user("reviewer", role="staff"))
    page.context.add_cookies([
        {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": demo.url},
        {"name": "django_language", "value": language, "url": demo.url},
    ])  # fmt: skip
    page.set_viewport_size(PHONE)
    page.goto(demo.url + "/guides/review/")
    expect(page.locator(".table-scroll table").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto(demo.url + "/guides/regions/region-5/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The region's facts stack on a phone: the list of states starts under its label, not beside it.
    label = page.locator(".region-facts dt").first.bounding_box()
    states = page.locator(".region-facts dd").first.bounding_box()
    assert states["y"] >= label["y"] + label["height"] - 1
