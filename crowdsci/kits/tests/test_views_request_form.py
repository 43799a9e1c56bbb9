"""/kits/request/: the public request form."""

import datetime

import pytest
from django.utils import timezone

from crowdsci.kits import services
from crowdsci.kits.models import KitRequest
from crowdsci.kits.tests.factories import priority_affiliation
from crowdsci.network.tests.factories import make_organization

pytestmark = pytest.mark.django_db


def form_data(organization, kit_type, **overrides):
    today = timezone.localdate()
    return {
        "organization": organization.pk,
        "kit_type": kit_type.pk,
        "contact_name": "Ada Librarian",
        "contact_email": "ada@example.org",
        "contact_phone": "",
        "shipping_address": "1 Main Street\nTown, GA",
        "intended_use": "Water testing with teens",
        "start_date": (today + datetime.timedelta(days=14)).isoformat(),
        "end_date": (today + datetime.timedelta(days=21)).isoformat(),
        "audience_size": "30",
        **overrides,
    }


def test_a_library_requests_a_kit_and_lands_on_its_page(client, kit_type):
    organization = make_organization("Okefenokee Library", state="GA", affiliations=[priority_affiliation()])
    response = client.post("/kits/request/", form_data(organization, kit_type))
    kit_request = KitRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/kits/requests/{kit_request.public_id}/"
    assert kit_request.has_priority and kit_request.affiliation_codes == ["arsl"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    assert page["Cache-Control"] == "private, no-store"
    text = page.content.decode()
    assert "Okefenokee Library" in text and "Your place in the queue" in text


def test_the_form_says_plainly_when_shipping_is_paused(client, kit_type, staff):
    assert "paused" not in client.get("/kits/request/").content.decode()
    services.shipping_hold_set(actor=staff, on=True, reason="National emergency")
    text = client.get("/kits/request/").content.decode()
    assert "Kit shipping is paused network-wide" in text and "National emergency" in text


def test_bad_dates_and_a_second_open_request_get_clear_errors(client, kit_type):
    organization = make_organization("Twice Library", state="GA")
    past = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = client.post("/kits/request/", form_data(organization, kit_type, start_date=past))
    assert "The start date cannot be in the past." in response.content.decode()
    assert client.post("/kits/request/", form_data(organization, kit_type)).status_code == 302
    response = client.post("/kits/request/", form_data(organization, kit_type))
    assert response.status_code == 200
    assert "Twice Library already has an open kit request." in response.content.decode()
    assert KitRequest.objects.count() == 1


def test_user_text_is_escaped_on_the_requesters_page(client, kit_type):
    organization = make_organization("Escape Library", state="GA")
    client.post("/kits/request/", form_data(organization, kit_type, contact_name="<script>x</script>"))
    kit_request = KitRequest.objects.get()
    services.kit_request_decline(actor=_staff(), kit_request=kit_request, reason="<b>bold</b> reason")
    text = client.get(f"/kits/requests/{kit_request.public_id}/").content.decode()
    assert "<b>bold</b>" not in text and "&lt;b&gt;bold&lt;/b&gt; reason" in text


def _staff():
    from crowdsci.network.tests.factories import make_user

    return make_user("escape-staff", role="staff")


def test_submissions_are_rate_limited(client, kit_type, settings, one_ratelimit_window):
    settings.KITS_REQUEST_RATE = "3/h"
    statuses = []
    for n in range(4):
        organization = make_organization(f"Rate Library {n}", state="GA")
        statuses.append(client.post("/kits/request/", form_data(organization, kit_type)).status_code)
    assert statuses == [302, 302, 302, 429]
    assert KitRequest.objects.count() == 3


def test_an_unknown_request_page_is_404(client, kit_type):
    assert client.get("/kits/requests/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_a_signed_in_requester_finds_their_request_on_the_kits_page(client, kit_type):
    from crowdsci.network.tests.factories import make_user

    client.force_login(make_user("wanda"))
    organization = make_organization("Wanda's Library", state="GA")
    client.post("/kits/request/", form_data(organization, kit_type))
    kit_request = KitRequest.objects.get()
    assert kit_request.requested_by.username == "wanda"
    text = client.get("/kits/").content.decode()
    assert f"/kits/requests/{kit_request.public_id}/" in text
    client.logout()
    assert f"/kits/requests/{kit_request.public_id}/" not in client.get("/kits/").content.decode()
