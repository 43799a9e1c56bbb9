"""User text carries its language: a guide's title, summary and body are rendered with its lang and dir, so English
reads correctly inside the Arabic pages and Arabic inside the English ones."""

import pytest
from django.urls import reverse

from crowdsci.catalog.services import guide_create, guide_update
from crowdsci.catalog.tests.factories import make_guide


@pytest.mark.django_db
def test_an_english_guide_inside_the_arabic_pages_keeps_its_language_and_direction(client):
    guide = make_guide("PubMed for beginners", body="Search **PubMed** by MeSH term.")
    client.cookies["django_language"] = "ar"
    html = client.get(guide.get_absolute_url()).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert '<div class="guide-body" lang="en" dir="ltr"><p>Search <strong>PubMed</strong>' in html
    assert '<span lang="en" dir="ltr">PubMed for beginners</span>' in html
    listing = client.get(reverse("catalog-browse")).content.decode()
    assert f'<a href="{guide.get_absolute_url()}" lang="en" dir="ltr">PubMed for beginners</a>' in listing


@pytest.mark.django_db
def test_an_arabic_guide_is_right_to_left_inside_the_english_pages(client):
    guide = guide_create(actor=None, title="دليل ميدلاين بلس", summary="ملخص", language="ar", status="published")
    html = client.get(guide.get_absolute_url()).content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert '<p class="lead" lang="ar" dir="rtl">ملخص</p>' in html


@pytest.mark.django_db
def test_the_language_is_changed_through_the_service():
    guide = make_guide("Guía de MedlinePlus")
    guide = guide_update(actor=None, guide=guide, language="es")
    assert guide.language == "es"


@pytest.mark.django_db
def test_places_and_names_in_the_arabic_directory_are_isolated_and_translated(client):
    from crowdsci.network.tests.factories import make_organization

    make_organization("Black Belt Community Library", state="AL", city="Selma")
    client.cookies["django_language"] = "ar"
    html = client.get(reverse("network-directory")).content.decode()
    assert '<bdi class="place">Selma, AL</bdi> · المنطقة 2' in html
    assert 'dir="auto">Black Belt Community Library</a>' in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_searched_words_are_isolated_inside_the_translated_heading(client, language):
    make_guide("HIV/AIDS 2024 resources")
    client.cookies["django_language"] = language
    html = client.get(reverse("catalog-browse"), {"q": "HIV/AIDS 2024"}).content.decode()
    assert "<bdi>HIV/AIDS 2024</bdi>" in html.split('id="results-heading"')[1].split("</h2>")[0]
    # Still escaped: the visitor's words are text, never markup.
    html = client.get(reverse("catalog-browse"), {"q": "<b>x</b>"}).content.decode()
    heading = html.split('id="results-heading"')[1].split("</h2>")[0]
    assert "<bdi>&lt;b&gt;x&lt;/b&gt;</bdi>" in heading and "<b>" not in heading
