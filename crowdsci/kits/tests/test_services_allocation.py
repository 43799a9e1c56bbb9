"""loan_allocate_next / kits_allocate, the shipping hold and its lifting, offers and their expiry."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from crowdsci.core.models import AuditEntry
from crowdsci.kits import selectors, services
from crowdsci.kits.errors import KitsError
from crowdsci.kits.models import KitCopy, KitRequest, Loan
from crowdsci.kits.tests.factories import make_copy, make_request

pytestmark = pytest.mark.django_db


def test_allocation_serves_confirmed_requests_in_queue_order(kit_type, rep2):
    make_copy("TTW-1")
    make_copy("TTW-2")
    plain = make_request(name="Plain", confirm_by=rep2)
    arsl = make_request(name="Arsl", priority=True, confirm_by=rep2)
    late = make_request(name="Late", confirm_by=rep2)
    loans = services.kits_allocate()
    assert [loan.request_id for loan in loans] == [arsl.pk, plain.pk]
    late.refresh_from_db()
    assert late.status == KitRequest.Status.CONFIRMED
    assert selectors.queue_position(late) == 1
    assert set(KitCopy.objects.values_list("status", flat=True)) == {"reserved"}


def test_an_unconfirmed_request_keeps_its_place_but_is_not_served(kit_type, rep2):
    make_copy()
    unconfirmed = make_request(name="Unconfirmed", priority=True)
    confirmed = make_request(name="Confirmed", confirm_by=rep2)
    assert selectors.queue_position(unconfirmed) == 1
    assert [loan.request_id for loan in services.kits_allocate()] == [confirmed.pk]


def test_a_copy_from_the_requests_own_region_is_preferred(kit_type, rep2):
    make_copy("AAA-far", region=5)
    make_copy("ZZZ-home", region=2)
    make_request(state="GA", confirm_by=rep2)
    (loan,) = services.kits_allocate()
    assert loan.copy.asset_tag == "ZZZ-home"


def test_no_copy_no_loan(kit_type, rep2):
    make_request(confirm_by=rep2)
    make_copy(status=KitCopy.Status.MAINTENANCE)
    assert services.kits_allocate() == []


def test_hold_on_refuses_allocation_and_shipping_then_lifting_allocates_and_tells_everyone(
    kit_type, rep2, staff, django_capture_on_commit_callbacks
):
    make_copy()
    first = make_request(name="First", confirm_by=rep2)
    with pytest.raises(KitsError, match="reason"):
        services.shipping_hold_set(actor=staff, on=True, reason="")
    with pytest.raises(KitsError, match="Only network staff"):
        services.shipping_hold_set(actor=rep2, on=True, reason="Emergency")
    with django_capture_on_commit_callbacks(execute=True):
        services.shipping_hold_set(actor=staff, on=True, reason="National emergency")
    assert [m.subject for m in mail.outbox] == ["Kit shipping is paused"]
    with pytest.raises(KitsError, match="paused"):
        services.loan_allocate_next(actor=staff, kit_type=kit_type)
    assert services.kits_allocate() == []
    # Requests are still accepted and confirmed while the hold is on.
    second = make_request(name="Second", confirm_by=rep2)
    assert second.status == KitRequest.Status.CONFIRMED
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.shipping_hold_set(actor=staff, on=False, reason="Carriers running again")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == KitRequest.Status.OFFERED
    assert second.status == KitRequest.Status.CONFIRMED
    subjects = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert ("ada@example.org", "Kit shipping has resumed") in subjects
    assert sum(1 for _to, subject in subjects if subject == "Kit shipping has resumed") == 2
    assert sum(1 for _to, subject in subjects if subject.startswith("A kit is ready for you")) == 1
    reasons = list(AuditEntry.objects.filter(action__startswith="shipping_hold").values_list("action", "reason"))
    assert sorted(reasons) == [
        ("shipping_hold.off", "Carriers running again"),
        ("shipping_hold.on", "National emergency"),
    ]


def test_accepting_an_offer_and_expiry_passes_the_kit_to_the_next(kit_type, rep2, django_capture_on_commit_callbacks):
    make_copy()
    first = make_request(name="First", confirm_by=rep2)
    second = make_request(name="Second", confirm_by=rep2)
    (loan,) = services.kits_allocate()
    assert loan.request_id == first.pk
    Loan.objects.filter(pk=loan.pk).update(offer_expires_at=timezone.now() - datetime.timedelta(minutes=1))
    with pytest.raises(KitsError, match="expired"):
        services.loan_offer_accept(
            actor=None, kit_request=first, shipping_address="x", start_date=first.start_date, end_date=first.end_date
        )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.loans_expire_offers() == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == KitRequest.Status.EXPIRED
    assert second.status == KitRequest.Status.OFFERED
    assert any(m.subject == "Your kit offer expired" for m in mail.outbox)
    new_loan = Loan.objects.get(request=second)
    accepted = services.loan_offer_accept(
        actor=None,
        kit_request=second,
        shipping_address="2 Elm Street",
        start_date=second.start_date,
        end_date=second.end_date,
    )
    assert accepted.pk == new_loan.pk and accepted.status == Loan.Status.ACCEPTED
    second.refresh_from_db()
    assert second.status == KitRequest.Status.ACCEPTED and second.shipping_address == "2 Elm Street"


def test_an_offer_in_time_does_not_expire(kit_type, rep2):
    make_copy()
    make_request(confirm_by=rep2)
    services.kits_allocate()
    assert services.loans_expire_offers() == 0


def test_withdrawing_an_offered_request_passes_the_kit_on(kit_type, rep2):
    make_copy()
    first = make_request(name="First", confirm_by=rep2)
    second = make_request(name="Second", confirm_by=rep2)
    services.kits_allocate()
    services.kit_request_withdraw(actor=None, kit_request=first)
    second.refresh_from_db()
    assert second.status == KitRequest.Status.OFFERED
    assert Loan.objects.get(request=first).status == Loan.Status.CANCELLED
