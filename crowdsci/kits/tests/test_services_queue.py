"""Queue order (affiliations, then time), staff moves with a reason, and the place a requester sees."""

import pytest

from crowdsci.core.models import AuditEntry
from crowdsci.kits import selectors, services
from crowdsci.kits.errors import KitsError
from crowdsci.kits.tests.factories import make_request

pytestmark = pytest.mark.django_db


def order(kit_type) -> list[str]:
    return [r.organization.name for r in selectors.queue(kit_type)]


def test_priority_affiliations_first_then_time_of_submission(kit_type):
    make_request(name="A plain")
    make_request(name="B arsl", priority=True)
    make_request(name="C plain")
    make_request(name="D arsl", priority=True)
    assert order(kit_type) == ["B arsl", "D arsl", "A plain", "C plain"]
    places = {r.organization.name: selectors.queue_position(r) for r in selectors.queue(kit_type)}
    assert places == {"B arsl": 1, "D arsl": 2, "A plain": 3, "C plain": 4}


def test_staff_move_needs_a_reason_is_audited_and_holds_its_place(kit_type, staff, rep2):
    a = make_request(name="A")
    make_request(name="B", priority=True)
    c = make_request(name="C")
    with pytest.raises(KitsError, match="reason"):
        services.kit_request_move(actor=staff, kit_request=c, position=1, reason="")
    with pytest.raises(KitsError, match="Only network staff"):
        services.kit_request_move(actor=rep2, kit_request=c, position=1, reason="urgent")
    assert services.kit_request_move(actor=staff, kit_request=c, position=1, reason="Flooding in the town") == 1
    assert order(kit_type) == ["C", "B", "A"]
    entry = AuditEntry.objects.get(action="kit_request.move", object_id=str(c.pk))
    assert entry.reason == "Flooding in the town" and entry.actor == staff
    assert entry.detail == {"from": 3, "to": 1}
    # Later requests still go behind it by the ordinary rules.
    make_request(name="D", priority=True)
    assert order(kit_type) == ["C", "B", "D", "A"]
    # Into the middle, and to the end.
    services.kit_request_move(actor=staff, kit_request=a, position=2, reason="r")
    assert order(kit_type) == ["C", "A", "B", "D"]
    services.kit_request_move(actor=staff, kit_request=c, position=99, reason="r")
    assert order(kit_type) == ["A", "B", "D", "C"]


def test_a_closed_request_cannot_be_moved(kit_type, staff):
    kit_request = make_request()
    services.kit_request_withdraw(actor=None, kit_request=kit_request)
    with pytest.raises(KitsError, match="waiting in the queue"):
        services.kit_request_move(actor=staff, kit_request=kit_request, position=1, reason="r")
