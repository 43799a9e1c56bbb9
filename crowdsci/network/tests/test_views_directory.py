import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation

from crowdsci.core.collation import collation_key
from crowdsci.network.models import Affiliation, Organization
from crowdsci.network.organization_csv import COLUMNS
from crowdsci.network.services import organizations_import_csv
from crowdsci.network.tests.factories import make_organization, make_user

pytestmark = pytest.mark.django_db
URL = reverse("network-directory")


@pytest.fixture
def libraries():
    arsl = Affiliation.objects.get(code="arsl")
    make_organization("Atlanta Public Library", state="GA", city="Atlanta", affiliations=[arsl])
    make_organization("Savannah Hospital Library", state="GA", city="Savannah", type="hospital")
    make_organization("Portland College Library", state="OR", city="Portland", type="academic")
    make_organization("Boston Community Center", state="MA", city="Boston", type="community")


def listed(response) -> list[str]:
    return [organization.name for organization in response.context["page"].object_list]


def test_everyone_sees_every_member_with_a_count(client, libraries):
    response = client.get(URL)
    assert response.status_code == 200
    assert len(listed(response)) == 4
    assert "4 member organizations" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"region": "region-2"}, ["Atlanta Public Library", "Savannah Hospital Library"]),
        ({"state": "OR"}, ["Portland College Library"]),
        ({"type": "community"}, ["Boston Community Center"]),
        ({"affiliation": "arsl"}, ["Atlanta Public Library"]),
        ({"q": "savannah"}, ["Savannah Hospital Library"]),
        ({"region": "region-2", "type": "hospital"}, ["Savannah Hospital Library"]),
        ({"region": "region-7", "state": "GA"}, []),
    ],
)
def test_filters(client, libraries, query, expected):
    assert listed(client.get(URL, query)) == expected


def test_an_unknown_filter_value_is_ignored_not_an_error(client, libraries):
    response = client.get(URL, {"region": "region-99", "type": "castle", "state": "ZZ"})
    assert response.status_code == 200
    assert len(listed(response)) == 4


def test_empty_state_offers_to_clear_filters(client, libraries):
    content = client.get(URL, {"q": "no such library"}).content.decode()
    assert "No member organization matches these filters." in content
    assert f'href="{URL}">Clear filters' in content


def test_empty_directory_says_so(client):
    assert "no member organizations in the directory yet" in client.get(URL).content.decode()


def test_pagination_keeps_the_filters(client):
    for number in range(30):
        make_organization(f"Library {number:02}", state="GA", city="Macon")
    make_organization("Elsewhere Library", state="OR", city="Salem")
    response = client.get(URL, {"state": "GA"})
    assert len(listed(response)) == 25
    content = response.content.decode()
    assert 'href="?state=GA&amp;page=2"' in content
    second = client.get(URL, {"state": "GA", "page": "2"})
    assert listed(second) == [f"Library {number:02}" for number in range(25, 30)]
    assert listed(client.get(URL, {"page": "999"})) == listed(client.get(URL, {"page": "2"}))


def test_htmx_gets_only_the_results_and_a_plain_get_the_whole_page(client, libraries):
    partial = client.get(URL, {"type": "academic"}, headers={"HX-Request": "true"})
    assert partial.templates[0].name == "network/_directory_results.html"
    assert "<html" not in partial.content.decode()
    assert "HX-Request" in partial["Vary"]
    restore = client.get(URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.content.decode()
    full = client.get(URL, {"type": "academic"}).content.decode()
    assert "<html" in full and 'hx-push-url="true"' in full and 'action="/network/directory/"' in full


def test_queries_stay_bounded(client, django_assert_max_num_queries):
    arsl, abos = Affiliation.objects.all()
    for number in range(25):
        make_organization(f"Library {number}", state="TX", city="Austin", affiliations=[arsl, abos])
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert len(listed(response)) == 25


def test_script_in_a_name_renders_inert(client):
    make_organization("<script>alert(1)</script> Library", state="GA", city="Atlanta")
    content = client.get(URL).content.decode()
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Library" in content


def test_export_follows_the_filters_and_imports_back_unchanged(client, libraries):
    Organization.objects.filter(name="Atlanta Public Library").update(name="=HYPERLINK(1) Library")
    response = client.get(reverse("network-directory-export"), {"region": "region-2"})
    assert response["Content-Type"].startswith("text/csv")
    assert response.streaming  # constant memory, whatever the size of the directory
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(COLUMNS)
    assert [row[0] for row in rows[1:]] == ["'=HYPERLINK(1) Library", "Savannah Hospital Library"]
    assert rows[1][8] == "arsl"
    report = organizations_import_csv(actor=None, text=text, dry_run=False)
    assert report.ok and (report.to_create, report.to_update) == (0, 2)
    assert Organization.objects.filter(name="=HYPERLINK(1) Library").exists()


def test_the_import_link_is_shown_to_staff_and_coordinators_only(client):
    import_url = reverse("network-import")
    assert import_url not in client.get(URL).content.decode()
    client.force_login(make_user(role="participant"))
    assert import_url not in client.get(URL).content.decode()
    client.force_login(make_user(role="coordinator", region=5))
    assert import_url in client.get(URL).content.decode()


def test_page_links_carry_only_known_filters(client):
    for number in range(26):
        make_organization(f"Library {number:02}", state="GA", city="Macon")
    content = client.get(URL, {"state": "GA", "utm_source": "x"}).content.decode()
    page_links = re.findall(r'href="(\?[^"]*page=\d+)"', content)
    assert page_links == ["?state=GA&amp;page=2"]


def _state_options(response) -> list[str]:
    select = re.search(r'<select name="state"[^>]*>(.*?)</select>', response.content.decode(), re.S).group(1)
    return re.findall(r'<option value="([A-Z]{2})"', select)


@pytest.mark.parametrize(
    ("language", "before", "after"),
    [
        # Georgia (جورجيا) comes before Florida (فلوريدا) in Arabic; North Carolina (Carolina del Norte) before
        # Colorado in Spanish. In English both pairs go the other way.
        ("ar", "GA", "FL"),
        ("es", "NC", "CO"),
        ("en", "FL", "GA"),
    ],
)
def test_the_state_select_follows_the_translated_names(client, language, before, after):
    client.cookies["django_language"] = language
    response = client.get(URL)
    codes = _state_options(response)
    assert len(codes) == len(set(codes)) >= 56
    assert codes.index(before) < codes.index(after)
    # The whole list is in the order of the names the reader sees.
    with translation.override(language):
        labels = [str(choice[1]) for choice in response.context["form"].fields["state"].choices][1:]
        assert labels == sorted(labels, key=lambda label: collation_key(str(label)))
