"""loan_ship, loan_deliver, loan_renew, loan_return, copy_sanitation_record, copy_status_set."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from crowdsci.kits import selectors, services
from crowdsci.kits.errors import KitsError
from crowdsci.kits.models import CopyStatusChange, KitCopy, KitRequest, Loan
from crowdsci.kits.tests.factories import CONTENTS, SANITATION_STEPS, accept_offer, make_copy, make_request

pytestmark = pytest.mark.django_db


def delivered_loan(rep, staff, name="Borrower") -> Loan:
    kit_request = make_request(name=name, confirm_by=rep)
    (loan,) = services.kits_allocate()
    accept_offer(kit_request)
    services.loan_ship(actor=staff, loan=loan, carrier="UPS", tracking_number="1Z1")
    return services.loan_deliver(actor=staff, loan=loan)


def test_ship_needs_the_hold_off_an_accepted_offer_and_staff(kit_type, rep2, staff):
    make_copy()
    kit_request = make_request(confirm_by=rep2)
    (loan,) = services.kits_allocate()
    with pytest.raises(KitsError, match="confirmed the address"):
        services.loan_ship(actor=staff, loan=loan, carrier="UPS", tracking_number="1")
    accept_offer(kit_request)
    services.shipping_hold_set(actor=staff, on=True, reason="Emergency")
    with pytest.raises(KitsError, match="paused"):
        services.loan_ship(actor=staff, loan=loan, carrier="UPS", tracking_number="1")
    services.shipping_hold_set(actor=staff, on=False, reason="Over")
    with pytest.raises(KitsError, match="Only network staff"):
        services.loan_ship(actor=rep2, loan=loan, carrier="UPS", tracking_number="1")
    services.loan_ship(actor=staff, loan=loan, carrier="UPS", tracking_number="1Z")
    loan.refresh_from_db()
    assert loan.status == Loan.Status.SHIPPED and loan.copy.status == KitCopy.Status.SHIPPED


def test_delivery_starts_the_loan_with_its_due_date(kit_type, rep2, staff, settings):
    settings.KITS_LOAN_DAYS = 21
    make_copy()
    loan = delivered_loan(rep2, staff)
    assert loan.due_date == timezone.localdate() + datetime.timedelta(days=21)
    assert loan.request.status == KitRequest.Status.DELIVERED
    assert loan.copy.status == KitCopy.Status.ON_LOAN


def test_one_renewal_only_when_nobody_waits(kit_type, rep2, staff, settings):
    settings.KITS_RENEWAL_DAYS = 10
    make_copy()
    loan = delivered_loan(rep2, staff)
    due = loan.due_date
    waiting = make_request(name="Waiting")
    with pytest.raises(KitsError, match="waiting"):
        services.loan_renew(actor=None, loan=loan)
    services.kit_request_withdraw(actor=None, kit_request=waiting)
    loan = services.loan_renew(actor=None, loan=loan)
    assert loan.due_date == due + datetime.timedelta(days=10)
    with pytest.raises(KitsError, match="already renewed"):
        services.loan_renew(actor=None, loan=loan)


def test_return_of_a_copy_not_on_loan_is_refused(kit_type, staff):
    copy = make_copy("TTW-HOME")
    with pytest.raises(KitsError, match="TTW-HOME is not on loan"):
        services.loan_return(actor=staff, copy=copy)
    copy.refresh_from_db()
    assert copy.status == KitCopy.Status.AVAILABLE


def test_return_then_sanitation_then_turnaround_before_the_next_loan(kit_type, rep2, staff, settings):
    settings.KITS_SANITATION_TURNAROUND_DAYS = 2
    copy = make_copy()
    loan = delivered_loan(rep2, staff)
    with pytest.raises(KitsError, match="Not on this kit's contents checklist"):
        services.loan_return(actor=staff, copy=copy, missing_parts=["A unicorn"])
    loan = services.loan_return(
        actor=staff, copy=copy, missing_parts=[CONTENTS[0]], damaged_parts=[CONTENTS[2]], notes="Lid cracked"
    )
    assert loan.status == Loan.Status.RETURNED and loan.missing_parts == [CONTENTS[0]]
    copy.refresh_from_db()
    assert copy.status == KitCopy.Status.RETURNED
    assert loan.request.status == KitRequest.Status.RETURNED
    # The next request waits: a returned copy cannot go out before sanitation.
    nxt = make_request(name="Next", confirm_by=rep2)
    assert services.kits_allocate() == []
    with pytest.raises(KitsError, match="still to do"):
        services.copy_sanitation_record(actor=staff, copy=copy, steps_done=SANITATION_STEPS[:1])
    record = services.copy_sanitation_record(actor=staff, copy=copy, steps_done=SANITATION_STEPS)
    assert record.ready_at > timezone.now() + datetime.timedelta(days=1)
    assert services.kits_allocate() == []  # still within the turnaround
    # The queue's expected date counts the turnaround.
    assert selectors.expected_date(nxt) == timezone.localdate(record.ready_at)
    KitCopy.objects.filter(pk=copy.pk).update(available_from=timezone.now() - datetime.timedelta(minutes=1))
    (loan2,) = services.kits_allocate()
    assert loan2.request_id == nxt.pk and loan2.copy_id == copy.pk
    statuses = list(CopyStatusChange.objects.filter(copy=copy).order_by("id").values_list("to_status", flat=True))
    assert statuses == ["reserved", "shipped", "on_loan", "returned", "available", "reserved"]


def test_sanitation_only_for_a_returned_copy(kit_type, staff):
    copy = make_copy()
    with pytest.raises(KitsError, match="Only a returned kit"):
        services.copy_sanitation_record(actor=staff, copy=copy, steps_done=SANITATION_STEPS)


def test_status_by_hand_needs_a_reason_and_no_open_loan(kit_type, staff, rep2):
    copy = make_copy()
    with pytest.raises(KitsError, match="reason"):
        services.copy_status_set(actor=staff, copy=copy, status="maintenance", reason="")
    services.copy_status_set(actor=staff, copy=copy, status="maintenance", reason="Broken thermometer")
    assert CopyStatusChange.objects.filter(copy=copy, reason="Broken thermometer").exists()
    services.copy_status_set(actor=staff, copy=copy, status="available", reason="Fixed")
    make_request(confirm_by=rep2)
    services.kits_allocate()
    with pytest.raises(KitsError, match="lent or reserved"):
        services.copy_status_set(actor=staff, copy=copy, status="retired", reason="Old")
    with pytest.raises(KitsError, match="lending steps"):
        services.copy_status_set(actor=staff, copy=copy, status="on_loan", reason="x")


def test_notice_schedule_due_soon_overdue_then_lost(
    kit_type, rep2, staff, settings, django_capture_on_commit_callbacks
):
    settings.KITS_DUE_SOON_DAYS = 3
    settings.KITS_OVERDUE_NOTICE_DAYS = 7
    settings.KITS_LOST_AFTER_DAYS = 30
    make_copy()
    loan = delivered_loan(rep2, staff)
    due = datetime.datetime.combine(loan.due_date, datetime.time(12), tzinfo=timezone.get_current_timezone())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.loans_send_notices(now=due - datetime.timedelta(days=5)) == {
            "due_soon": 0,
            "overdue": 0,
            "lost": 0,
        }
        assert services.loans_send_notices(now=due - datetime.timedelta(days=2))["due_soon"] == 1
        assert services.loans_send_notices(now=due - datetime.timedelta(days=1))["due_soon"] == 0  # once
        assert services.loans_send_notices(now=due + datetime.timedelta(days=1))["overdue"] == 1
        assert services.loans_send_notices(now=due + datetime.timedelta(days=3))["overdue"] == 0  # not yet again
        assert services.loans_send_notices(now=due + datetime.timedelta(days=8))["overdue"] == 1
        assert services.loans_send_notices(now=due + datetime.timedelta(days=30))["lost"] == 1
    assert [m.subject for m in mail.outbox] == [
        "Your kit is due back soon",
        "Your kit is overdue",
        "Your kit is overdue",
        "Your kit is now recorded as lost",
    ]
    loan.refresh_from_db()
    assert loan.status == Loan.Status.LOST and loan.copy.status == KitCopy.Status.LOST
    assert loan.request.status == KitRequest.Status.LOST


def test_the_requester_is_emailed_at_every_status_change(kit_type, rep2, staff, django_capture_on_commit_callbacks):
    copy = make_copy()
    with django_capture_on_commit_callbacks(execute=True):
        loan = delivered_loan(rep2, staff)
        services.loan_return(actor=staff, copy=copy)
        declined = make_request(name="Declined")
        services.kit_request_decline(actor=staff, kit_request=declined, reason="Out of scope")
        withdrawn = make_request(name="Withdrawn")
        services.kit_request_withdraw(actor=None, kit_request=withdrawn)
    to_requester = [m.subject for m in mail.outbox if m.to == ["ada@example.org"]]
    assert to_requester == [
        "We received your kit request",
        "Your regional representative confirmed receipt of your kit request",
        "A kit is ready for you: please confirm within 5 days",
        "Thank you: your kit will be shipped",
        "Your kit has shipped",
        "Your kit was delivered",
        "We received your kit back",
        "We received your kit request",
        "Your kit request was declined",
        "We received your kit request",
        "Your kit request was withdrawn",
    ]
    assert loan.request.events.count() == 7
