"""/kits/manage/ pages: scoping by role and region, confirmation, the hold switch, shipping."""

import pytest

from crowdsci.kits.models import KitRequest, ShippingHold
from crowdsci.kits.tests.factories import accept_offer, make_copy, make_request
from crowdsci.network.tests.factories import make_user

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_people_without_a_kits_role_are_refused(client, kit_type):
    assert client.get("/kits/manage/").status_code == 302  # to the sign-in page
    login(client, make_user("nobody"))
    assert client.get("/kits/manage/").status_code == 403


def test_a_representative_sees_and_confirms_only_their_region(client, kit_type, rep2, rep5):
    georgia = make_request(name="Georgia Library", state="GA")
    oregon = make_request(name="Oregon Library", state="OR")
    login(client, rep2)
    text = client.get("/kits/manage/").content.decode()
    assert "Georgia Library" in text and "Oregon Library" not in text
    assert client.get(f"/kits/manage/requests/{oregon.pk}/").status_code == 404
    assert client.post(f"/kits/manage/requests/{oregon.pk}/", {"action": "confirm"}).status_code == 404
    client.post(f"/kits/manage/requests/{georgia.pk}/", {"action": "confirm"})
    georgia.refresh_from_db()
    oregon.refresh_from_db()
    assert georgia.status == KitRequest.Status.CONFIRMED and oregon.status == KitRequest.Status.SUBMITTED


def test_a_representative_cannot_switch_the_hold(client, kit_type, rep2):
    login(client, rep2)
    response = client.post("/kits/manage/hold/", {"on": "1", "reason": "x"}, follow=True)
    assert "Only network staff may do this." in response.content.decode()
    assert not ShippingHold.objects.filter(is_on=True).exists()


def test_staff_pause_and_resume_shipping_and_ship_a_kit(client, kit_type, staff, rep2):
    make_copy("TTW-1")
    kit_request = make_request(confirm_by=rep2)
    login(client, staff)
    client.post("/kits/manage/hold/", {"on": "1", "reason": "National emergency"})
    assert ShippingHold.objects.get().is_on
    assert "Kit shipping is paused network-wide" in client.get("/kits/manage/").content.decode()
    client.post("/kits/manage/hold/", {"on": "0", "reason": "Over"})
    kit_request.refresh_from_db()
    assert kit_request.status == KitRequest.Status.OFFERED
    accept_offer(kit_request)
    response = client.post(
        f"/kits/manage/requests/{kit_request.pk}/",
        {"action": "ship", "carrier": "UPS", "tracking_number": "1Z999"},
        follow=True,
    )
    assert "Marked as shipped" in response.content.decode()
    kit_request.refresh_from_db()
    assert kit_request.status == KitRequest.Status.SHIPPED


def test_staff_move_through_the_page_needs_a_reason(client, kit_type, staff):
    make_request(name="First")
    second = make_request(name="Second")
    login(client, staff)
    response = client.post(f"/kits/manage/requests/{second.pk}/", {"action": "move", "position": "1"}, follow=True)
    assert "Please give the new place and the reason" in response.content.decode()
    client.post(f"/kits/manage/requests/{second.pk}/", {"action": "move", "position": "1", "reason": "Grant deadline"})
    text = client.get(f"/kits/manage/requests/{second.pk}/").content.decode()
    assert '<dd class="kits-place">1</dd>' in text and "Grant deadline" in text
