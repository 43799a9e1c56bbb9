import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from crowdsci.catalog.models import Guide
from crowdsci.catalog.selectors import category_nav_items
from crowdsci.catalog.tests.factories import make_guide
from crowdsci.network.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_browse_lists_published_guides_with_facets(client):
    make_guide("Health literacy for public libraries", terms=[("topics", "health-literacy")])
    make_guide("A draft", status=Guide.Status.DRAFT)
    response = client.get(reverse("catalog-browse"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Health literacy for public libraries" in html
    assert "A draft" not in html
    assert 'name="topics" value="health-literacy"' in html
    assert "<html" in html


def test_combined_facets_in_the_url(client):
    make_guide(
        "Match", terms=[("topics", "health-literacy"), ("audiences", "public-libraries"), ("regions", "region-3")]
    )
    make_guide("Other region", terms=[("topics", "health-literacy"), ("audiences", "public-libraries")])
    url = reverse("catalog-browse") + "?topics=health-literacy&audiences=public-libraries&regions=region-3"
    html = client.get(url).content.decode()
    assert "Match" in html
    assert "Other region" not in html
    assert 'value="region-3" checked' in html


def test_unknown_facet_values_are_ignored(client):
    make_guide("Still here")
    response = client.get(reverse("catalog-browse") + "?topics=nope&regions=region-99&page=abc")
    assert response.status_code == 200
    assert "Still here" in response.content.decode()


def test_htmx_request_gets_the_partial_only(client):
    make_guide("Partial guide")
    response = client.get(reverse("catalog-browse"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Partial guide" in html
    assert "<html" not in html
    assert html.lstrip().startswith('<form id="catalog-browse"')


def test_search_highlights_and_escapes(client):
    make_guide('Water & "pipes" <3', body="Test the water in your library.")
    html = client.get(reverse("catalog-browse"), {"q": "water"}).content.decode()
    assert "<mark>Water</mark> &amp; &quot;pipes&quot; &lt;3" in html
    assert "Test the <mark>water</mark>" in html
    html = client.get(reverse("catalog-browse"), {"q": "<b>bold</b>"}).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<b>" not in html


def test_pagination_keeps_the_filters(client):
    for n in range(25):
        make_guide(f"Guide {n:02}", terms=[("topics", "stem")])
    html = client.get(reverse("catalog-browse"), {"topics": "stem"}).content.decode()
    assert "topics=stem&amp;page=2" in html
    html = client.get(reverse("catalog-browse"), {"topics": "stem", "page": 2}).content.decode()
    assert "Guide 24" in html
    assert "Guide 00" not in html


def test_category_page_lists_entries_with_counts(client):
    make_guide("A", terms=[("funding", "proposal-writing")])
    response = client.get(reverse("catalog-category", kwargs={"category": "funding"}))
    html = response.content.decode()
    assert "Proposal Writing Support" in html
    assert "1 guide" in html
    assert client.get(reverse("catalog-category", kwargs={"category": "nope"})).status_code == 404


def test_term_page_lists_its_guides_and_filters_by_the_others(client):
    make_guide("DL guide", terms=[("resource-sharing", "docline"), ("regions", "region-2")])
    make_guide("PHC guide", terms=[("resource-sharing", "public-health-collections")])
    url = reverse("catalog-term", kwargs={"category": "resource-sharing", "term": "docline"})
    html = client.get(url).content.decode()
    assert "DL guide" in html
    assert "PHC guide" not in html
    assert 'name="resource-sharing"' not in html  # the page's own category is fixed
    assert "DL guide" not in client.get(url, {"regions": "region-5"}).content.decode()
    assert client.get(reverse("catalog-term", kwargs={"category": "topics", "term": "nope"})).status_code == 404


def test_guide_page_shows_sanitized_body_links_and_entries(client):
    guide = make_guide(
        "Safe guide", body="Hello <img src=x onerror=alert(1)> **world**", terms=[("topics", "hiv-aids")]
    )
    html = client.get(guide.get_absolute_url()).content.decode()
    assert "<strong>world</strong>" in html
    assert "onerror" not in html
    assert "HIV/AIDS" in html


def test_drafts_are_hidden_from_the_public_and_shown_to_editors(client):
    guide = make_guide("Secret draft", status=Guide.Status.DRAFT)
    assert client.get(guide.get_absolute_url()).status_code == 404
    client.force_login(make_user("staffer", role="staff"))
    response = client.get(guide.get_absolute_url())
    assert response.status_code == 200
    assert "Draft" in response.content.decode()


def test_review_lists_for_staff_only(client):
    today = timezone.localdate()
    make_guide("Fresh", last_reviewed=today - datetime.timedelta(days=10))
    make_guide("Stale", last_reviewed=today - datetime.timedelta(days=400))
    make_guide("Never")
    assert client.get(reverse("catalog-review")).status_code in (302, 403)
    client.force_login(make_user("visitor"))
    assert client.get(reverse("catalog-review")).status_code == 403
    client.force_login(make_user("boss", role="staff"))
    response = client.get(reverse("catalog-review"))
    assert response.status_code == 200
    needing = [g.title for g in response.context["needing_review"]]
    recent = [g.title for g in response.context["recently_reviewed"]]
    assert needing == ["Never", "Stale"]
    assert recent == ["Fresh"]


def test_navigation_items_link_to_category_pages(django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        items = category_nav_items()
    assert [label for label, _url, _description in items] == [
        "Membership", "Funding", "Training", "Topics", "Audiences", "Regional Focus", "Resource Sharing",
    ]  # fmt: skip
    assert items[3][1] == "/guides/topics/"


def test_browse_query_count_is_bounded(client, django_assert_max_num_queries):
    make_guide("G", terms=[("topics", "health-literacy"), ("audiences", "public-libraries"), ("regions", "region-3")])
    url = reverse("catalog-browse") + "?q=guide&topics=health-literacy&audiences=public-libraries&regions=region-3"
    with django_assert_max_num_queries(11):
        assert client.get(url).status_code == 200


def test_entries_show_in_the_readers_language_in_filters_and_on_results(client):
    make_guide("Una guía", terms=[("topics", "health-literacy")])
    client.cookies["django_language"] = "es"
    html = client.get(reverse("catalog-browse")).content.decode()
    assert '<li class="badge">Alfabetización en salud</li>' in html
    assert 'for="facet-topics-health-literacy">Alfabetización en salud <span' in html
    client.cookies["django_language"] = "en"
    html = client.get(reverse("catalog-browse")).content.decode()
    assert '<li class="badge">Health Literacy</li>' in html
