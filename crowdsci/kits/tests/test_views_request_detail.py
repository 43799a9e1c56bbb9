"""/kits/requests/<id>/: the requester's page — place, history, hold notice, offer confirmation, withdrawal."""

import datetime

import pytest
from django.utils import timezone

from crowdsci.kits import services
from crowdsci.kits.models import KitRequest, Loan
from crowdsci.kits.tests.factories import accept_offer, make_copy, make_request

pytestmark = pytest.mark.django_db


def url(kit_request) -> str:
    return f"/kits/requests/{kit_request.public_id}/"


def test_the_page_shows_place_history_and_the_hold(client, kit_type, rep2, staff):
    make_request(name="Ahead", priority=True)
    mine = make_request(name="Mine")
    services.shipping_hold_set(actor=staff, on=True, reason="Storm")
    services.kit_request_confirm_receipt(actor=rep2, kit_request=mine)
    text = client.get(url(mine)).content.decode()
    assert '<dd class="kits-place">2</dd>' in text
    assert "Kit shipping is paused network-wide" in text
    assert "Receipt confirmed" in text and "Submitted" in text
    assert "rep2" not in text  # the representative's account is not shown to the public


def test_the_requester_confirms_the_offer_then_it_ships(client, kit_type, rep2, staff):
    make_copy("TTW-9")
    mine = make_request(confirm_by=rep2)
    services.kits_allocate()
    text = client.get(url(mine)).content.decode()
    assert "A kit is ready for you" in text and "TTW-9" in text
    start = timezone.localdate() + datetime.timedelta(days=3)
    response = client.post(
        url(mine),
        {
            "action": "accept",
            "shipping_address": "9 River Road",
            "start_date": start.isoformat(),
            "end_date": (start + datetime.timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == KitRequest.Status.ACCEPTED and mine.shipping_address == "9 River Road"
    assert Loan.objects.get().status == Loan.Status.ACCEPTED


def test_withdraw_from_the_page(client, kit_type):
    mine = make_request()
    client.post(url(mine), {"action": "withdraw"})
    mine.refresh_from_db()
    assert mine.status == KitRequest.Status.WITHDRAWN
    assert "Withdraw this request" not in client.get(url(mine)).content.decode()


def test_renewal_refused_while_others_wait_is_explained(client, kit_type, rep2, staff):
    make_copy()
    mine = make_request(confirm_by=rep2)
    (loan,) = services.kits_allocate()
    accept_offer(mine)
    services.loan_ship(actor=staff, loan=loan, carrier="UPS", tracking_number="1Z")
    services.loan_deliver(actor=staff, loan=loan)
    make_request(name="Waiting")
    response = client.post(url(mine), {"action": "renew"}, follow=True)
    assert "Other libraries are waiting for this kit" in response.content.decode()
    loan.refresh_from_db()
    assert not loan.renewed
