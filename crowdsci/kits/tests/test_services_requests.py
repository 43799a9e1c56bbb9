"""kit_request_submit, kit_request_confirm_receipt, kit_request_decline, kit_request_withdraw."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from crowdsci.core.models import AuditEntry
from crowdsci.kits import services
from crowdsci.kits.errors import KitsError
from crowdsci.kits.models import KitRequest, RequestEvent
from crowdsci.kits.tests.factories import make_request, priority_affiliation
from crowdsci.network.models import Affiliation
from crowdsci.network.tests.factories import make_organization

pytestmark = pytest.mark.django_db


def test_submit_keeps_the_affiliations_of_the_moment_and_tells_requester_and_representative(
    kit_type, rep2, django_capture_on_commit_callbacks
):
    organization = make_organization("Okefenokee Library", state="GA", affiliations=[priority_affiliation("abos")])
    with django_capture_on_commit_callbacks(execute=True):
        kit_request = make_request(organization)
    organization.affiliations.clear()
    kit_request.refresh_from_db()
    assert kit_request.affiliation_codes == ["abos"]
    assert kit_request.has_priority and kit_request.priority == 1
    assert kit_request.region.number == 2
    assert kit_request.status == KitRequest.Status.SUBMITTED
    recipients = sorted(tuple(message.to) for message in mail.outbox)
    assert recipients == [("ada@example.org",), ("rep2@example.org",)]
    assert "confirm receipt" in next(m for m in mail.outbox if m.to == ["rep2@example.org"]).subject
    assert str(kit_request.public_id) in next(m for m in mail.outbox if m.to == ["ada@example.org"]).body
    assert AuditEntry.objects.filter(action="kit_request.submitted", object_id=str(kit_request.pk)).exists()


def test_an_affiliation_without_priority_gives_none(kit_type):
    plain = Affiliation.objects.create(code="friends", name="Friends of Libraries", gives_kit_priority=False)
    kit_request = make_request(make_organization("Plain Library", state="GA", affiliations=[plain]))
    assert kit_request.affiliation_codes == ["friends"]
    assert not kit_request.has_priority and kit_request.priority == 0


def test_a_second_open_request_from_the_same_organization_is_refused_and_nothing_is_stored(kit_type):
    first = make_request()
    with pytest.raises(KitsError, match="already has an open kit request"):
        make_request(first.organization)
    assert KitRequest.objects.count() == 1
    assert RequestEvent.objects.count() == 1


def test_a_closed_request_does_not_block_a_new_one(kit_type, staff):
    first = make_request()
    services.kit_request_decline(actor=staff, kit_request=first, reason="No kits this season")
    second = make_request(first.organization)
    assert second.pk != first.pk


def test_dates_in_the_wrong_order_are_refused(kit_type):
    today = timezone.localdate()
    with pytest.raises(KitsError, match="end date"):
        make_request(start_date=today + datetime.timedelta(days=5), end_date=today)
    assert KitRequest.objects.count() == 0


def test_only_the_representative_of_the_region_or_staff_confirms(kit_type, rep2, rep5, staff):
    kit_request = make_request(state="GA")
    with pytest.raises(KitsError, match="representative of this request's region"):
        services.kit_request_confirm_receipt(actor=rep5, kit_request=kit_request)
    kit_request.refresh_from_db()
    assert kit_request.status == KitRequest.Status.SUBMITTED
    services.kit_request_confirm_receipt(actor=rep2, kit_request=kit_request)
    kit_request.refresh_from_db()
    assert kit_request.status == KitRequest.Status.CONFIRMED
    assert kit_request.confirmed_by == rep2
    with pytest.raises(KitsError, match="not waiting for confirmation"):
        services.kit_request_confirm_receipt(actor=staff, kit_request=kit_request)


def test_confirmation_emails_the_requester(kit_type, rep2, django_capture_on_commit_callbacks):
    kit_request = make_request()
    with django_capture_on_commit_callbacks(execute=True):
        services.kit_request_confirm_receipt(actor=rep2, kit_request=kit_request)
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]
    assert "confirmed receipt" in mail.outbox[0].subject


def test_decline_needs_a_reason_and_the_right_region(kit_type, rep2, rep5):
    kit_request = make_request()
    with pytest.raises(KitsError, match="reason"):
        services.kit_request_decline(actor=rep2, kit_request=kit_request, reason=" ")
    with pytest.raises(KitsError):
        services.kit_request_decline(actor=rep5, kit_request=kit_request, reason="no")
    services.kit_request_decline(actor=rep2, kit_request=kit_request, reason="Outside the program")
    kit_request.refresh_from_db()
    assert kit_request.status == KitRequest.Status.DECLINED
    assert kit_request.events.last().note == "Outside the program"


def test_withdraw_closes_the_request(kit_type):
    kit_request = make_request()
    services.kit_request_withdraw(actor=None, kit_request=kit_request)
    kit_request.refresh_from_db()
    assert kit_request.status == KitRequest.Status.WITHDRAWN
    with pytest.raises(KitsError, match="withdrawn only before"):
        services.kit_request_withdraw(actor=None, kit_request=kit_request)
