import pytest
from django.test import Client
from django.urls import reverse

from crowdsci.core.models import AuditEntry
from crowdsci.core.testing import PASSWORD
from crowdsci.network.models import Profile
from crowdsci.network.tests.factories import make_user


def logged_in(client: Client, name: str) -> Client:
    make_user(name)
    client.login(username=name, password=PASSWORD)
    return client


@pytest.mark.django_db
def test_profile_saves_and_normalizes_the_wikipedia_username(client: Client):
    logged_in(client, "rosalind")
    response = client.post(
        reverse("accounts-profile"),
        {"display_name": " Rosalind F. ", "wikipedia_username": "rosalind_franklin", "preferred_language": "es"},
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user__username="rosalind")
    assert profile.display_name == "Rosalind F."
    assert profile.wikipedia_username == "Rosalind franklin"
    assert profile.preferred_language == "es"
    assert response.cookies["django_language"].value == "es"
    assert AuditEntry.objects.filter(action="profile.update", object_id=str(profile.pk)).exists()


@pytest.mark.django_db
def test_a_wikipedia_username_belongs_to_one_account(client: Client):
    other = make_user("first")
    Profile.objects.filter(user=other).update(wikipedia_username="Shared name")
    logged_in(client, "second")
    response = client.post(
        reverse("accounts-profile"),
        {"display_name": "", "wikipedia_username": "Shared_name", "preferred_language": "en"},
    )
    assert response.status_code == 200
    assert "already linked to another account" in response.content.decode()
    assert Profile.objects.get(user__username="second").wikipedia_username == ""


@pytest.mark.django_db
def test_a_username_with_forbidden_characters_is_refused_with_a_message(client: Client):
    logged_in(client, "mallory")
    response = client.post(
        reverse("accounts-profile"),
        {"display_name": "", "wikipedia_username": "<script>alert(1)</script>", "preferred_language": "en"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "cannot contain" in html
    assert "<script>alert(1)</script>" not in html


@pytest.mark.django_db
def test_display_name_with_markup_renders_inert(client: Client):
    logged_in(client, "trudy")
    client.post(
        reverse("accounts-profile"),
        {"display_name": "<img src=x onerror=alert(1)>", "wikipedia_username": "", "preferred_language": "en"},
    )
    html = client.get(reverse("accounts-profile")).content.decode()
    assert "<img src=x onerror" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.django_db
def test_profile_language_applies_when_the_browser_has_not_chosen_one(client: Client):
    logged_in(client, "hamid")
    Profile.objects.filter(user__username="hamid").update(preferred_language="ar")
    html = client.get(reverse("site-home")).content.decode()
    assert 'dir="rtl"' in html


def test_profile_page_requires_log_in(client: Client, db):
    response = client.get(reverse("accounts-profile"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


@pytest.mark.django_db
def test_reading_the_profile_page_writes_nothing(client: Client):
    logged_in(client, "dorothy")
    Profile.objects.filter(user__username="dorothy").delete()
    response = client.get(reverse("accounts-profile"))
    assert response.status_code == 200
    default_language = Profile._meta.get_field("preferred_language").default
    assert response.context["form"].initial["preferred_language"] == default_language
    assert not Profile.objects.filter(user__username="dorothy").exists()
    response = client.post(
        reverse("accounts-profile"), {"display_name": "Dorothy", "wikipedia_username": "", "preferred_language": "en"}
    )
    assert response.status_code == 302
    assert Profile.objects.get(user__username="dorothy").display_name == "Dorothy"
