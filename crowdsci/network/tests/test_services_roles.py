import pytest
from django.db import IntegrityError, transaction

from crowdsci.core.models import AuditEntry
from crowdsci.network.errors import NetworkError
from crowdsci.network.models import Region, RoleAssignment
from crowdsci.network.services import role_grant, role_revoke
from crowdsci.network.tests.factories import make_organization, make_user

pytestmark = pytest.mark.django_db
Role = RoleAssignment.Role


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        ("staff", "region"),
        ("participant", "organization"),
        ("coordinator", None),
        ("coordinator", "organization"),
        ("organizer", None),
        ("organizer", "region"),
    ],
)
def test_the_database_refuses_a_role_with_the_wrong_scope(role, scope):
    user = make_user()
    fields = {}
    if scope == "region":
        fields["region"] = Region.objects.get(number=2)
    elif scope == "organization":
        fields["organization"] = make_organization()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role=role, **fields)


def test_the_database_refuses_an_unknown_role_and_duplicates():
    user = make_user()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role="emperor")
    RoleAssignment.objects.create(user=user, role="staff")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=user, role="staff")


@pytest.mark.parametrize(
    ("role", "scope", "message"),
    [
        ("emperor", None, "Unknown role"),
        ("coordinator", None, "needs a region"),
        ("coordinator", "organization", "needs a region"),
        ("organizer", None, "needs an organization"),
        ("organizer", "region", "needs an organization"),
        ("staff", "region", "not scoped"),
        ("participant", "organization", "not scoped"),
    ],
)
def test_role_grant_refuses_a_wrong_role_with_a_message(role, scope, message):
    user = make_user()
    fields = {}
    if scope == "region":
        fields["region"] = Region.objects.get(number=5)
    elif scope == "organization":
        fields["organization"] = make_organization()
    with pytest.raises(NetworkError, match=message):
        role_grant(actor=None, user=user, role=role, **fields)
    assert not RoleAssignment.objects.filter(user=user).exists()


def test_role_grant_refuses_a_role_held_already():
    user = make_user(role="participant")
    with pytest.raises(NetworkError, match="already has that role"):
        role_grant(actor=None, user=user, role="participant")


def test_admin_roles_give_admin_access_and_revoking_takes_it_away():
    user = make_user("dana")
    assignment = role_grant(actor=None, user=user, role="coordinator", region=Region.objects.get(number=2))
    user.refresh_from_db()
    assert user.is_staff
    role_revoke(actor=None, assignment=assignment)
    user.refresh_from_db()
    assert not user.is_staff
    assert list(
        AuditEntry.objects.filter(action__startswith="role.").order_by("pk").values_list("action", flat=True)
    ) == [
        "role.grant",
        "role.revoke",
    ]


def test_a_coordinator_grants_organizer_roles_only_in_their_region():
    coordinator = make_user("coordinator-two", role="coordinator", region=2)
    atlanta = make_organization("Atlanta Library", state="GA", city="Atlanta")
    portland = make_organization("Portland Library", state="OR", city="Portland")
    person = make_user("pat")
    assignment = role_grant(actor=coordinator, user=person, role="organizer", organization=atlanta)
    assert assignment.granted_by == coordinator
    with pytest.raises(NetworkError, match="may not grant"):
        role_grant(actor=coordinator, user=person, role="organizer", organization=portland)
    with pytest.raises(NetworkError, match="may not grant"):
        role_grant(actor=coordinator, user=person, role="staff")
    with pytest.raises(NetworkError, match="may not grant"):
        role_grant(actor=coordinator, user=person, role="coordinator", region=Region.objects.get(number=2))
    other_coordinator = RoleAssignment.objects.get(user=coordinator)
    with pytest.raises(NetworkError, match="may not grant"):
        role_revoke(actor=coordinator, assignment=other_coordinator)
    role_revoke(actor=coordinator, assignment=assignment)
    assert not RoleAssignment.objects.filter(user=person).exists()


@pytest.mark.parametrize("role", ["organizer", "participant"])
def test_organizers_and_participants_grant_nothing(role):
    library = make_organization("Atlanta Library", state="GA", city="Atlanta")
    actor = make_user("actor", role=role, organization=library if role == "organizer" else None)
    with pytest.raises(NetworkError):
        role_grant(actor=actor, user=make_user("pat"), role="organizer", organization=library)


def test_network_staff_grant_any_role():
    staff = make_user("staff", role="staff")
    assignment = role_grant(actor=staff, user=make_user("pat"), role="coordinator", region=Region.objects.get(number=5))
    assert assignment.region.number == 5
    assert AuditEntry.objects.filter(action="role.grant", actor=staff).count() == 1
