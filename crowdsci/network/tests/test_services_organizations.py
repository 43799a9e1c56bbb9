import pytest

from crowdsci.core.models import AuditEntry
from crowdsci.network.errors import NetworkError
from crowdsci.network.models import Affiliation, Jurisdiction, Organization
from crowdsci.network.services import organization_delete, organization_save
from crowdsci.network.tests.factories import make_organization, make_user

pytestmark = pytest.mark.django_db


def test_a_coordinator_saves_organizations_in_their_region_only():
    coordinator = make_user("coordinator2", role="coordinator", region=2)
    macon = organization_save(
        actor=coordinator,
        organization=Organization(
            name="Macon Library", type="public", city="Macon", jurisdiction=Jurisdiction.objects.get(code="GA")
        ),
        affiliations=[Affiliation.objects.get(code="arsl")],
    )
    assert macon.slug == "macon-library"
    assert AuditEntry.objects.filter(action="organization.create", actor=coordinator).exists()
    with pytest.raises(NetworkError, match="your own region"):
        organization_save(
            actor=coordinator,
            organization=Organization(
                name="Salem Library", type="public", city="Salem", jurisdiction=Jurisdiction.objects.get(code="OR")
            ),
        )
    portland = make_organization("Portland Library", state="OR", city="Portland")
    portland.jurisdiction = Jurisdiction.objects.get(code="GA")
    with pytest.raises(NetworkError, match="your own region"):
        organization_save(actor=coordinator, organization=portland)


def test_a_second_organization_with_the_same_name_gets_a_longer_slug_and_duplicates_are_refused():
    staff = make_user("staff", role="staff")
    georgia = Jurisdiction.objects.get(code="GA")
    first = organization_save(
        actor=staff, organization=Organization(name="City Library", type="public", city="Macon", jurisdiction=georgia)
    )
    second = organization_save(
        actor=staff, organization=Organization(name="City Library", type="public", city="Athens", jurisdiction=georgia)
    )
    assert (first.slug, second.slug) == ("city-library", "city-library-athens-ga")
    with pytest.raises(NetworkError):
        organization_save(
            actor=staff,
            organization=Organization(name="CITY LIBRARY", type="public", city="macon", jurisdiction=georgia),
        )


def test_only_staff_delete():
    library = make_organization("Macon Library", state="GA", city="Macon")
    with pytest.raises(NetworkError):
        organization_delete(actor=make_user(role="coordinator", region=2), organization=library)
    organization_delete(actor=make_user(role="staff"), organization=library)
    assert not Organization.objects.exists()
