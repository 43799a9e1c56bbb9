import datetime

import pytest
from django.urls import reverse

from crowdsci.network.models import Affiliation
from crowdsci.network.tests.factories import make_organization

pytestmark = pytest.mark.django_db


def test_detail_shows_address_region_affiliations_website_and_member_since(client):
    organization = make_organization(
        "Atlanta Public Library",
        state="GA",
        city="Atlanta",
        address="1 Peachtree St",
        postal_code="30303",
        website="https://atlanta.example.org",
        member_since=datetime.date(2018, 4, 1),
        affiliations=[Affiliation.objects.get(code="abos")],
    )
    response = client.get(reverse("network-organization-detail", args=[organization.slug]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "1 Peachtree St" in content and "Atlanta, GA 30303" in content
    assert "Region 2" in content and "Georgia" in content
    assert "Association of Bookmobile and Outreach Services" in content
    assert 'href="https://atlanta.example.org" rel="noopener noreferrer"' in content
    assert 'datetime="2018-04-01"' in content


def test_unknown_organization_is_404(client):
    assert client.get(reverse("network-organization-detail", args=["nope"])).status_code == 404


def test_script_in_a_name_renders_inert(client):
    organization = make_organization("<script>alert(1)</script>", state="GA", city="Atlanta", slug="scripted")
    content = client.get(reverse("network-organization-detail", args=[organization.slug])).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_detail_queries_are_bounded(client, django_assert_max_num_queries):
    organization = make_organization(
        "Library", state="GA", city="Atlanta", affiliations=list(Affiliation.objects.all())
    )
    with django_assert_max_num_queries(8):
        assert client.get(reverse("network-organization-detail", args=[organization.slug])).status_code == 200
