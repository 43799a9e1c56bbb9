"""The front door in a real browser: search from the home page to a guide, each program card, /ccs/, axe-core."""

import pytest
from playwright.sync_api import expect

from crowdsci.catalog.demo import load_demo_catalog
from crowdsci.catalog.tests.factories import ensure_reference_data
from crowdsci.core.testing import axe_serious_violations
from crowdsci.site.demo import load_demo_site
from crowdsci.site.programs import PROGRAMS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo(live_server):
    ensure_reference_data()
    load_demo_catalog()
    load_demo_site()
    return live_server


def test_from_the_home_page_a_search_reaches_a_guide(demo, page):
    page.goto(demo.url + "/")
    page.get_by_role("searchbox", name="Search guides and resources").fill("DOCLINE")
    page.get_by_role("search").get_by_role("button", name="Search").click()
    expect(page.locator(".results-count")).to_contain_text("guide")
    page.locator(".guide-card a").first.click()
    expect(page.locator("h1")).to_contain_text("DOCLINE")


def test_each_program_card_leads_to_its_page_or_says_it_is_coming(demo, page):
    page.goto(demo.url + "/")
    cards = page.locator("#ccs-heading ~ .program-cards > li")
    expect(cards).to_have_count(len(PROGRAMS))
    for index in range(len(PROGRAMS)):
        card = cards.nth(index)
        link = card.get_by_role("link")
        if link.count():
            href = link.get_attribute("href")
            response = page.request.get(demo.url + href)
            assert response.status == 200, href
        else:
            expect(card.locator(".badge")).to_have_text("coming soon")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Crowdsourcing & Citizen Science").click()
    expect(page.locator("h1")).to_have_text("Crowdsourcing and Citizen Science")
    expect(page.locator(".program-cards > li")).to_have_count(len(PROGRAMS))


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("path", ["/", "/ccs/"])
def test_home_and_ccs_pages_have_no_serious_accessibility_violation(demo, page, path, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": demo.url}])
    page.goto(demo.url + path)
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert axe_serious_violations(page) == []


def test_a_visitor_types_their_state_and_lands_on_their_region(demo, page):
    page.goto(demo.url + "/")
    page.get_by_label("Type your state or territory").fill("Tennessee")
    page.get_by_role("button", name="Find my region").click()
    expect(page.locator("h1")).to_have_text("Region 2")
    expect(page.locator(".region-facts")).to_contain_text("Tennessee")
    # The map is drawn from the vendored atlas: the region's eight states and territories filled in.
    expect(page.locator(".region-map svg path.region-map-in")).to_have_count(8)


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("path", ["/guides/regions/", "/guides/regions/region-5/"])
def test_region_pages_have_no_serious_accessibility_violation(demo, page, path, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": demo.url}])
    page.goto(demo.url + path)
    expect(page.locator(".region-map svg").first).to_be_visible()
    assert axe_serious_violations(page) == []


def test_the_arabic_directory_and_an_english_guide_read_in_the_right_order(demo, page):
    from crowdsci.network.tests.factories import make_organization

    make_organization("Black Belt Community Library", state="AL", city="Selma")
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": demo.url}])
    page.goto(demo.url + "/network/directory/")
    card = page.locator(".organization-list li", has_text="Black Belt Community Library")
    place = card.locator("bdi.place")
    expect(place).to_have_text("Selma, AL")
    # The place is isolated: in the DOM it sits between the type and the region, whole, and reads left to right.
    line = card.locator("p").first.text_content()
    assert line.index("Selma, AL") < line.index("المنطقة 2")
    assert place.evaluate("el => getComputedStyle(el).unicodeBidi") == "isolate"
    assert card.get_by_role("link").evaluate("el => getComputedStyle(el).direction") == "ltr"

    page.goto(demo.url + "/guides/?q=DOCLINE")
    page.locator(".guide-card a").first.click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    body = page.locator(".guide-body")
    expect(body).to_have_attribute("lang", "en")
    assert body.evaluate("el => getComputedStyle(el).direction") == "ltr"
    assert page.locator("main").evaluate("el => getComputedStyle(el).direction") == "rtl"


PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("language", ["en", "ar"])
def test_on_a_phone_results_come_first_and_nothing_scrolls_sideways(demo, page, language):
    from crowdsci.network.tests.factories import make_organization

    make_organization("Federated States of Micronesia Health Sciences Library", state="FM", city="Palikir")
    page.set_viewport_size(PHONE)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": demo.url}])
    for path in ("/", "/guides/", "/guides/topics/health-literacy/", "/guides/regions/region-2/", "/ccs/",
                 "/network/directory/"):  # fmt: skip
        page.goto(demo.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    page.goto(demo.url + "/guides/")
    filters = page.locator("details.facets-disclosure")
    expect(filters).not_to_have_attribute("open", "")
    assert page.locator("#catalog-results").evaluate("el => el.getBoundingClientRect().top") < PHONE["height"]
    # A change of filter brings the results into view.
    filters.locator(":scope > summary").click()
    page.locator(".facet input[type=checkbox]").nth(3).check()
    page.wait_for_url("**/guides/?*")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(600)  # the smooth scroll
    top = page.locator("#catalog-results").evaluate("el => el.getBoundingClientRect().top")
    assert 0 <= top < PHONE["height"] / 2
    expect(page.locator(".filter-chips .chip")).to_have_count(1)


def test_on_a_wide_screen_the_filters_stand_open_beside_the_results(demo, page):
    page.goto(demo.url + "/guides/")
    expect(page.locator("details.facets-disclosure")).to_have_attribute("open", "")
    expect(page.locator("details.facets-disclosure > summary")).to_be_hidden()
    page.locator(".facet input[type=checkbox]").first.check()
    expect(page.locator(".filter-chips .chip")).to_have_count(1)
    expect(page.locator("details.facets-disclosure")).to_have_attribute("open", "")
    page.locator(".filter-chips .chip").click()
    expect(page.locator(".filter-chips")).to_have_count(0)
