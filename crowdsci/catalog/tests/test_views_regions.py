"""The Regional Focus pages: every region with its states, and each region's page with its states, member
organizations, contact and guides; "type your state" lands on the region."""

import pytest
from django.urls import reverse

from crowdsci.catalog.tests.factories import make_guide
from crowdsci.network.models import Region, RoleAssignment
from crowdsci.network.services import region_save
from crowdsci.network.tests.factories import make_organization, make_user

REGIONS = reverse("catalog-category", kwargs={"category": "regions"})
REGION_2 = reverse("catalog-term", kwargs={"category": "regions", "term": "region-2"})


@pytest.mark.django_db
def test_the_regions_page_lists_each_regions_states_with_a_map(client):
    html = client.get(REGIONS).content.decode()
    cards = html.split('<li class="card region-card">')[1:]
    assert len(cards) == 7
    region_2 = next(card for card in cards if f'href="{REGION_2}"' in card)
    for state in ("Alabama", "Puerto Rico", "U.S. Virgin Islands", "Tennessee"):
        assert f"<bdi>{state}</bdi>" in region_2
    assert "Texas" not in region_2
    assert 'data-states="AL,FL,GA,MS,PR,SC,TN,VI"' in region_2
    assert "vendor/us-atlas/states-10m.json" in region_2


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["Alabama", "alabama ", "AL", "al", "Alabama (AL)", "ALABAMA"])
def test_typing_a_state_lands_on_its_region(client, typed):
    response = client.get(REGIONS, {"state": typed})
    assert response.status_code == 302
    assert response["Location"] == REGION_2


@pytest.mark.django_db
def test_a_state_typed_in_the_readers_language_or_with_accents_is_found(client):
    client.cookies["django_language"] = "es"
    # "Misisipi" is not a msgid yet; the English name with an accent added still matches.
    response = client.get(REGIONS, {"state": "Mississíppi"})
    assert response["Location"] == REGION_2


@pytest.mark.django_db
def test_an_unknown_state_says_so_and_keeps_what_was_typed(client):
    response = client.get(REGIONS, {"state": "Atlantis<b>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No state or territory is called" in html
    assert "Atlantis&lt;b&gt;" in html and "Atlantis<b>" not in html


@pytest.mark.django_db
def test_a_region_page_shows_states_organizations_contact_and_guides(client):
    region = Region.objects.get(number=2)
    region.contact_name, region.contact_email = "Southeastern office", "se@example.org"
    region_save(actor=None, region=region)
    make_user("carla", role=RoleAssignment.Role.COORDINATOR, region=2)
    make_organization("Selma Library", state="AL", city="Selma")
    make_organization("Austin Library", state="TX", city="Austin")
    make_guide("Working in the Southeast", terms=[("regions", "region-2")])
    make_guide("Working in Texas", terms=[("regions", "region-3")])
    html = client.get(REGION_2).content.decode()
    assert "<h1>Region 2</h1>" in html
    assert "<bdi>Alabama</bdi>" in html and "Texas" not in html.split("Guides for")[0]
    assert "Selma Library" in html and "Austin Library" not in html
    assert f"{reverse('network-directory')}?region=region-2" in html
    assert "Southeastern office" in html and 'href="mailto:se@example.org"' in html
    assert "Working in the Southeast" in html and "Working in Texas" not in html
    assert "carla@example.org" not in html  # a coordinator's sign-in address is never public


@pytest.mark.django_db
def test_region_state_and_affiliation_names_are_translated(client):
    client.cookies["django_language"] = "ar"
    html = client.get(REGIONS).content.decode()
    assert "المنطقة 2" in html
    assert ">Region 2<" not in html


@pytest.mark.django_db
def test_a_coordinator_changes_only_their_own_regions_contact():
    from crowdsci.network.errors import NetworkError

    coordinator = make_user("cora", role=RoleAssignment.Role.COORDINATOR, region=2)
    own = Region.objects.get(number=2)
    own.contact_email = "cora@example.org"
    region_save(actor=coordinator, region=own)
    own.name = "The Southeast"
    with pytest.raises(NetworkError):
        region_save(actor=coordinator, region=own)
    other = Region.objects.get(number=3)
    other.contact_email = "cora@example.org"
    with pytest.raises(NetworkError):
        region_save(actor=coordinator, region=other)
    assert Region.objects.get(number=3).contact_email == ""
