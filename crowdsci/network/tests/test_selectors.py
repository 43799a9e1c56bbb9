"""Scoping for every role: staff, coordinator (Region 2 against Region 5), organizer, participant, anonymous."""

import pytest
from django.contrib.auth.models import AnonymousUser

from crowdsci.network import selectors
from crowdsci.network.models import Affiliation, Jurisdiction, Region
from crowdsci.network.services import profile_update
from crowdsci.network.tests.factories import make_organization, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    atlanta = make_organization("Atlanta Library", state="GA", city="Atlanta")  # Region 2
    portland = make_organization("Portland Library", state="OR", city="Portland")  # Region 5
    people = {
        "staff": make_user("staff", role="staff"),
        "coordinator2": make_user("coordinator2", role="coordinator", region=2),
        "coordinator5": make_user("coordinator5", role="coordinator", region=5),
        "organizer": make_user("organizer", role="organizer", organization=atlanta),
        "participant": make_user("participant", role="participant"),
        "anonymous": AnonymousUser(),
    }
    profile_update(
        user=people["participant"],
        display_name="Pat",
        organization=portland,
        wikipedia_username="",
        preferred_language="en",
    )
    return {"atlanta": atlanta, "portland": portland, **people}


def names(queryset) -> set[str]:
    return {str(item) for item in queryset}


def test_organizations_manageable_by_each_role(world):
    assert names(selectors.organizations_manageable_by(world["staff"])) == {"Atlanta Library", "Portland Library"}
    assert names(selectors.organizations_manageable_by(world["coordinator2"])) == {"Atlanta Library"}
    assert names(selectors.organizations_manageable_by(world["coordinator5"])) == {"Portland Library"}
    assert names(selectors.organizations_manageable_by(world["organizer"])) == {"Atlanta Library"}
    assert names(selectors.organizations_manageable_by(world["participant"])) == set()
    assert names(selectors.organizations_manageable_by(world["anonymous"])) == set()


def test_jurisdictions_and_regions_manageable_by_each_role(world):
    assert selectors.jurisdictions_manageable_by(world["staff"]).count() == 59
    coordinator_states = set(
        selectors.jurisdictions_manageable_by(world["coordinator2"]).values_list("code", flat=True)
    )
    assert coordinator_states == {"AL", "FL", "GA", "MS", "SC", "TN", "PR", "VI"}
    for role in ("organizer", "participant", "anonymous"):
        assert not selectors.jurisdictions_manageable_by(world[role]).exists()
        assert not selectors.regions_manageable_by(world[role]).exists()
    assert [region.number for region in selectors.regions_manageable_by(world["coordinator5"])] == [5]


def test_role_assignments_visible_to_each_role(world):
    def holders(user):
        return {assignment.user.username for assignment in selectors.role_assignments_visible_to(user)}

    assert holders(world["staff"]) == {"staff", "coordinator2", "coordinator5", "organizer", "participant"}
    assert holders(world["coordinator2"]) == {"coordinator2", "organizer"}
    assert holders(world["coordinator5"]) == {"coordinator5"}
    assert holders(world["organizer"]) == {"organizer"}
    assert holders(world["participant"]) == {"participant"}
    assert holders(world["anonymous"]) == set()


def test_profiles_visible_to_each_role(world):
    def usernames(user):
        return {profile.user.username for profile in selectors.profiles_visible_to(user)}

    assert len(usernames(world["staff"])) == 5
    assert usernames(world["coordinator2"]) == {"coordinator2", "organizer"}
    assert usernames(world["coordinator5"]) == {"coordinator5", "participant"}  # participant's library is in Oregon
    assert usernames(world["organizer"]) == {"organizer"}
    assert usernames(world["anonymous"]) == set()


def test_users_assignable_by(world):
    assert selectors.users_assignable_by(world["staff"]).count() == 5
    assert {user.username for user in selectors.users_assignable_by(world["coordinator5"])} == {"participant"}
    assert not selectors.users_assignable_by(world["organizer"]).filter(username="participant").exists()
    assert not selectors.users_assignable_by(world["anonymous"]).exists()


def test_who_works_in_the_admin(world):
    assert selectors.user_works_in_admin(world["staff"])
    assert selectors.user_works_in_admin(world["coordinator2"])
    for role in ("organizer", "participant", "anonymous"):
        assert not selectors.user_works_in_admin(world[role])


def test_directory_filters_combine(world):
    arsl = Affiliation.objects.get(code="arsl")
    savannah = make_organization("Savannah Hospital Library", state="GA", city="Savannah", type="hospital")
    savannah.affiliations.add(arsl)
    Filters = selectors.DirectoryFilters
    directory = selectors.organizations_directory
    assert names(directory(Filters())) == {"Atlanta Library", "Portland Library", "Savannah Hospital Library"}
    assert names(directory(Filters(region=Region.objects.get(number=5)))) == {"Portland Library"}
    assert names(directory(Filters(jurisdiction=Jurisdiction.objects.get(code="GA")))) == {
        "Atlanta Library",
        "Savannah Hospital Library",
    }
    assert names(directory(Filters(type="hospital"))) == {"Savannah Hospital Library"}
    assert names(directory(Filters(affiliation=arsl))) == {"Savannah Hospital Library"}
    assert names(directory(Filters(q="portl"))) == {"Portland Library"}
    assert names(directory(Filters(q="savannah", type="public"))) == set()
    assert not Filters().active and Filters(q="x").active


def test_organizations_in_my_regions(world):
    def in_regions_of(person):
        return names(selectors.organizations_in_regions_of(world[person]))

    assert in_regions_of("staff") == {"Atlanta Library", "Portland Library"}
    assert in_regions_of("coordinator2") == {"Atlanta Library"}
    assert in_regions_of("coordinator5") == {"Portland Library"}
    # An organizer manages their own organization, but answers for no region.
    assert in_regions_of("organizer") == in_regions_of("participant") == in_regions_of("anonymous") == set()
