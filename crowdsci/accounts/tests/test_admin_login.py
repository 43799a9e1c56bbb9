"""The admin's sign-in page is allauth's: its rate limits and email verification apply there too."""

import pytest
from django.test import Client
from django.urls import reverse

from crowdsci.core.testing import PASSWORD
from crowdsci.network.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_guessing_passwords_on_the_admin_sign_in_page_signs_nobody_in(client: Client):
    make_user("staffer", role="staff")
    login = reverse("admin:login")
    responses = [client.post(login, {"username": "staffer", "password": f"guess-{n}"}) for n in range(30)]
    responses.append(client.post(login, {"username": "staffer", "password": PASSWORD}))
    # Found when the running site was attacked: the 31st post, with the right password, signed in.
    assert all(response.status_code == 302 for response in responses)
    assert all(response["Location"].startswith(reverse("account_login") + "?next=") for response in responses)
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_admin_sends_people_to_sign_in_through_allauth_and_back(client: Client):
    make_user("staffer", role="staff")
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("account_login") + "?next=%2Fadmin%2F"
    response = client.post(
        response.redirect_chain[-1][0], {"login": "staffer@example.org", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("admin:index")
    assert response.status_code == 200


def test_failed_sign_ins_on_the_way_to_the_admin_are_rate_limited(client: Client):
    make_user("staffer", role="staff")
    url = reverse("account_login") + "?next=/admin/"
    for _ in range(5):
        client.post(url, {"login": "staffer@example.org", "password": "wrong-password"})
    response = client.post(url, {"login": "staffer@example.org", "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_someone_signed_in_without_admin_access_is_refused_by_the_admin_sign_in_page(client: Client):
    client.force_login(make_user("visitor"))
    assert client.get(reverse("admin:login")).status_code == 403
