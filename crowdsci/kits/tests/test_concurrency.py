"""Many allocations at once against a few copies, on PostgreSQL: no copy twice, no queue place skipped."""

import pytest
from django.db import connection

from crowdsci.core.errors import ServiceBusy
from crowdsci.core.testing import run_concurrently
from crowdsci.kits import selectors, services
from crowdsci.kits.models import KitCopy, KitRequest, Loan, ShippingHold
from crowdsci.kits.tests.factories import make_copy, make_kit_type, make_request
from crowdsci.network.tests.factories import make_user


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_never_give_a_copy_twice_nor_skip_a_place():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers; the race needs PostgreSQL's row locks (run with DATABASE_URL)")
    kit_type = make_kit_type()
    ShippingHold.objects.get_or_create(pk=1)
    rep = make_user("rep-race", role="coordinator", region=2)
    copies = [make_copy(f"RACE-{n}", region=(2 if n % 2 else 5)) for n in range(4)]
    requests = [make_request(name=f"Race {n:02d}", priority=(n % 3 == 0), confirm_by=rep) for n in range(12)]
    expected_order = [r.pk for r in selectors.queue(kit_type)]
    assert len(expected_order) == len(requests)

    def allocate(_index: int):
        try:
            loan = services.loan_allocate_next(actor=None, kit_type=kit_type)
        except ServiceBusy:
            return "busy"
        return loan.pk if loan else None

    outcomes = run_concurrently(allocate, 10)
    assert [o.error for o in outcomes if o.error] == []
    loans = list(Loan.objects.order_by("allocated_at", "id"))
    assert len(loans) == len(copies)  # every copy given out, each once
    assert len({loan.copy_id for loan in loans}) == len(copies)
    served = {loan.request_id for loan in loans}
    # The first four places of the queue were served, none skipped.
    assert served == set(expected_order[: len(copies)])
    assert KitRequest.objects.filter(status="offered").count() == len(copies)
    assert set(KitCopy.objects.values_list("status", flat=True)) == {"reserved"}
    assert sorted(o.result for o in outcomes if isinstance(o.result, int)) == sorted(loan.pk for loan in loans)
