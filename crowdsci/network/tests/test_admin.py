"""The admin, scoped by role: staff everything, coordinator of Region 2 never Region 5 (by URL guessing included),
organizers, participants and anonymous people nothing."""

import pytest
from django.urls import reverse

from crowdsci.core.models import AuditEntry
from crowdsci.network.models import Affiliation, Jurisdiction, Organization, Profile, Region, RoleAssignment
from crowdsci.network.tests.factories import make_organization, make_user

pytestmark = pytest.mark.django_db


def admin_url(model, action="changelist", *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def world():
    atlanta = make_organization("Atlanta Library", state="GA", city="Atlanta")
    portland = make_organization("Portland Library", state="OR", city="Portland")
    organizer2 = make_user("organizer2", role="organizer", organization=atlanta)
    organizer5 = make_user("organizer5", role="organizer", organization=portland)
    Profile.objects.filter(user=organizer2).update(organization=atlanta)
    Profile.objects.filter(user=organizer5).update(organization=portland)
    return {
        "atlanta": atlanta,
        "portland": portland,
        "staff": make_user("staff", role="staff"),
        "coordinator2": make_user("coordinator2", role="coordinator", region=2),
        "coordinator5": make_user("coordinator5", role="coordinator", region=5),
        "organizer2": organizer2,
        "organizer5": organizer5,
        "participant": make_user("participant", role="participant"),
    }


def organization_form(jurisdiction: str, name: str = "New Library", **extra) -> dict:
    return {
        "name": name,
        "type": "public",
        "address": "",
        "city": "Somewhere",
        "jurisdiction": str(Jurisdiction.objects.get(code=jurisdiction).pk),
        "postal_code": "",
        "latitude": "",
        "longitude": "",
        "member_since": "",
        "website": "",
        **extra,
    }


# Organizations ----------------------------------------------------------------------------------------------


def test_staff_see_and_change_every_organization(client, world):
    client.force_login(world["staff"])
    content = client.get(admin_url(Organization)).content.decode()
    assert "Atlanta Library" in content and "Portland Library" in content
    assert client.get(admin_url(Organization, "change", world["portland"].pk)).status_code == 200


def test_coordinator_changelist_shows_only_their_region(client, world):
    client.force_login(world["coordinator2"])
    response = client.get(admin_url(Organization))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Atlanta Library" in content and "Portland Library" not in content


def test_coordinator_guessing_another_regions_urls_gets_404_and_no_data(client, world):
    client.force_login(world["coordinator2"])
    portland = world["portland"]
    for action in ("change", "history", "delete"):
        response = client.get(admin_url(Organization, action, portland.pk))
        assert response.status_code in (403, 404), action
        assert b"Portland Library" not in response.content
    response = client.post(admin_url(Organization, "change", portland.pk), organization_form("GA", "Stolen"))
    assert response.status_code == 404
    portland.refresh_from_db()
    assert portland.name == "Portland Library" and portland.jurisdiction.code == "OR"


def test_coordinator_chooses_only_their_regions_states(client, world):
    client.force_login(world["coordinator2"])
    form = client.get(admin_url(Organization, "add")).context["adminform"].form
    assert set(form.fields["jurisdiction"].queryset.values_list("code", flat=True)) == {
        "AL",
        "FL",
        "GA",
        "MS",
        "SC",
        "TN",
        "PR",
        "VI",
    }
    response = client.post(admin_url(Organization, "add"), organization_form("OR"))
    assert response.status_code == 200 and response.context["adminform"].form.errors["jurisdiction"]
    assert not Organization.objects.filter(name="New Library").exists()


def test_coordinator_adds_and_changes_organizations_in_their_region_through_the_service(client, world):
    client.force_login(world["coordinator2"])
    arsl = Affiliation.objects.get(code="arsl")
    response = client.post(
        admin_url(Organization, "add"), organization_form("GA", "Macon Library", affiliations=[str(arsl.pk)])
    )
    assert response.status_code == 302
    macon = Organization.objects.get(name="Macon Library")
    assert macon.slug == "macon-library" and list(macon.affiliations.all()) == [arsl]
    assert AuditEntry.objects.filter(action="organization.create", actor=world["coordinator2"]).count() == 1
    response = client.post(
        admin_url(Organization, "change", world["atlanta"].pk),
        organization_form("FL", "Atlanta Library", city="Atlanta"),
    )
    assert response.status_code == 302
    assert Organization.objects.get(pk=world["atlanta"].pk).jurisdiction.code == "FL"
    assert AuditEntry.objects.filter(action="organization.update", object_id=str(world["atlanta"].pk)).exists()


def test_only_staff_delete_organizations(client, world):
    client.force_login(world["coordinator2"])
    assert client.post(admin_url(Organization, "delete", world["atlanta"].pk), {"post": "yes"}).status_code == 403
    assert Organization.objects.filter(pk=world["atlanta"].pk).exists()
    client.force_login(world["staff"])
    response = client.post(admin_url(Organization, "delete", world["atlanta"].pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Organization.objects.filter(pk=world["atlanta"].pk).exists()
    assert AuditEntry.objects.filter(action="organization.delete").count() == 1


def test_script_in_a_name_renders_inert_in_the_admin(client, world):
    scripted = make_organization("<script>alert(1)</script>", state="GA", city="Atlanta", slug="scripted")
    client.force_login(world["staff"])
    for url in (admin_url(Organization), admin_url(Organization, "change", scripted.pk)):
        content = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


# Role assignments -------------------------------------------------------------------------------------------


def test_role_assignment_changelist_is_scoped(client, world):
    client.force_login(world["coordinator2"])
    content = client.get(admin_url(RoleAssignment)).content.decode()
    assert "organizer2" in content and "organizer5" not in content and "coordinator5" not in content
    other = RoleAssignment.objects.get(user=world["coordinator5"])
    assert client.get(admin_url(RoleAssignment, "change", other.pk)).status_code == 404
    assert client.post(admin_url(RoleAssignment, "delete", other.pk), {"post": "yes"}).status_code == 404
    assert RoleAssignment.objects.filter(pk=other.pk).exists()


def test_coordinator_grants_organizer_roles_in_their_region_only(client, world):
    client.force_login(world["coordinator2"])
    person = make_user("pat")
    Profile.objects.filter(user=person).update(organization=world["atlanta"])
    form = client.get(admin_url(RoleAssignment, "add")).context["adminform"].form
    assert [value for value, _label in form.fields["role"].choices if value] == ["organizer"]
    assert list(form.fields["organization"].queryset) == [world["atlanta"]]
    assert "participant" not in {user.username for user in form.fields["user"].queryset}

    for role, extra in (
        ("staff", {}),
        ("coordinator", {"region": str(Region.objects.get(number=2).pk)}),
        ("organizer", {"organization": str(world["portland"].pk)}),
    ):
        response = client.post(admin_url(RoleAssignment, "add"), {"user": str(person.pk), "role": role, **extra})
        assert response.status_code == 200, role
        assert response.context["adminform"].form.errors
    assert not RoleAssignment.objects.filter(user=person).exists()

    response = client.post(
        admin_url(RoleAssignment, "add"),
        {"user": str(person.pk), "role": "organizer", "organization": str(world["atlanta"].pk)},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=person)
    assert assignment.granted_by == world["coordinator2"]
    assert AuditEntry.objects.filter(action="role.grant", actor=world["coordinator2"]).count() == 1

    response = client.post(admin_url(RoleAssignment, "delete", assignment.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=person).exists()
    assert AuditEntry.objects.filter(action="role.revoke", actor=world["coordinator2"]).count() == 1


def test_coordinator_cannot_revoke_a_coordinator_role(client, world):
    client.force_login(world["coordinator2"])
    own = RoleAssignment.objects.get(user=world["coordinator2"])
    assert client.post(admin_url(RoleAssignment, "delete", own.pk), {"post": "yes"}).status_code == 403
    assert RoleAssignment.objects.filter(pk=own.pk).exists()


def test_a_wrong_role_shape_in_the_admin_is_a_form_error(client, world):
    client.force_login(world["staff"])
    person = make_user("pat")
    response = client.post(admin_url(RoleAssignment, "add"), {"user": str(person.pk), "role": "coordinator"})
    assert response.status_code == 200 and response.context["adminform"].form.non_field_errors()
    response = client.post(
        admin_url(RoleAssignment, "add"),
        {"user": str(person.pk), "role": "coordinator", "region": str(Region.objects.get(number=5).pk)},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_staff  # role_grant gave admin access


# Profiles ---------------------------------------------------------------------------------------------------


def test_profiles_are_scoped_and_saved_through_the_service(client, world):
    client.force_login(world["coordinator2"])
    content = client.get(admin_url(Profile)).content.decode()
    assert "organizer2" in content and "organizer5" not in content
    other = Profile.objects.get(user=world["organizer5"])
    assert client.get(admin_url(Profile, "change", other.pk)).status_code == 404
    mine = Profile.objects.get(user=world["organizer2"])
    form = client.get(admin_url(Profile, "change", mine.pk)).context["adminform"].form
    assert list(form.fields["organization"].queryset) == [world["atlanta"]]
    response = client.post(
        admin_url(Profile, "change", mine.pk),
        {
            "display_name": "Olivia",
            "organization": str(world["atlanta"].pk),
            "wikipedia_username": "olivia_reads",
            "preferred_language": "es",
        },
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.wikipedia_username == "Olivia reads"
    assert AuditEntry.objects.filter(action="profile.update", actor=world["coordinator2"]).count() == 1
    assert client.get(admin_url(Profile, "add")).status_code == 403


# Staff-only pages -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", [Region, Jurisdiction, Affiliation, AuditEntry])
def test_reference_data_and_audit_are_for_staff_only(client, world, model):
    client.force_login(world["coordinator2"])
    assert client.get(admin_url(model)).status_code == 403
    client.force_login(world["staff"])
    assert client.get(admin_url(model)).status_code == 200


def test_staff_edit_reference_data(client, world):
    client.force_login(world["staff"])
    arsl = Affiliation.objects.get(code="arsl")
    response = client.post(
        admin_url(Affiliation, "change", arsl.pk),
        {"code": "arsl", "name": "Association for Rural & Small Libraries", "gives_kit_priority": ""},
    )
    assert response.status_code == 302
    assert not Affiliation.objects.get(code="arsl").gives_kit_priority


def test_audit_entries_are_read_only_even_for_staff(client, world):
    client.force_login(world["staff"])
    entry = AuditEntry.objects.first()
    assert client.get(admin_url(AuditEntry, "change", entry.pk)).status_code == 200
    assert client.get(admin_url(AuditEntry, "add")).status_code == 403
    assert client.post(admin_url(AuditEntry, "delete", entry.pk), {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_coordinator_admin_index_lists_only_their_models(client, world):
    client.force_login(world["coordinator2"])
    content = client.get(reverse("admin:index")).content.decode()
    assert admin_url(Organization) in content and admin_url(RoleAssignment) in content
    assert admin_url(AuditEntry) not in content and admin_url(Region) not in content


@pytest.mark.parametrize("who", ["organizer2", "participant", None])
def test_organizers_participants_and_anonymous_never_reach_the_admin(client, world, who):
    if who:
        client.force_login(world[who])
    for url in (admin_url(Organization), admin_url(Organization, "change", world["atlanta"].pk)):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_states_and_affiliations_are_saved_and_deleted_through_the_services_with_audit_rows(client, world):
    client.force_login(world["staff"])
    response = client.post(
        admin_url(Affiliation, "add"), {"code": "mla", "name": "Medical Library Association", "gives_kit_priority": ""}
    )
    assert response.status_code == 302
    mla = Affiliation.objects.get(code="mla")
    guam = Jurisdiction.objects.get(code="GU")
    response = client.post(
        admin_url(Jurisdiction, "change", guam.pk),
        {"code": "GU", "name": "Guam (U.S.)", "kind": "territory", "region": str(guam.region_id)},
    )
    assert response.status_code == 302
    assert client.post(admin_url(Affiliation, "delete", mla.pk), {"post": "yes"}).status_code == 302
    assert not Affiliation.objects.filter(code="mla").exists()
    actions = AuditEntry.objects.filter(action__regex=r"^(affiliation|jurisdiction)\.").order_by("pk")
    assert [(entry.action, entry.actor) for entry in actions] == [
        ("affiliation.create", world["staff"]),
        ("jurisdiction.update", world["staff"]),
        ("affiliation.delete", world["staff"]),
    ]


def test_a_state_with_members_is_not_deleted(client, world):
    from crowdsci.network.errors import NetworkError
    from crowdsci.network.services import jurisdiction_delete

    with pytest.raises(NetworkError, match="move them first"):
        jurisdiction_delete(actor=world["staff"], jurisdiction=Jurisdiction.objects.get(code="GA"))
    assert Jurisdiction.objects.filter(code="GA").exists()
    assert not AuditEntry.objects.filter(action="jurisdiction.delete").exists()
    with pytest.raises(NetworkError, match="Only network staff"):
        jurisdiction_delete(actor=world["coordinator2"], jurisdiction=Jurisdiction.objects.get(code="AS"))
