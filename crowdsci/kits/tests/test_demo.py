import pytest

from crowdsci.kits.demo import load_demo_kits
from crowdsci.kits.models import KitCopy, KitRequest, Loan
from crowdsci.network.demo import load_demo_network

pytestmark = pytest.mark.django_db


def test_demo_plays_every_state_and_loading_twice_duplicates_nothing():
    load_demo_network()
    load_demo_kits()
    counts = (KitCopy.objects.count(), KitRequest.objects.count(), Loan.objects.count())
    load_demo_kits()
    assert (KitCopy.objects.count(), KitRequest.objects.count(), Loan.objects.count()) == counts
    assert counts[0] == 12
    assert set(KitCopy.objects.values_list("home_region__number", flat=True)) == set(range(1, 8))
    statuses = set(KitRequest.objects.values_list("status", flat=True))
    assert {"submitted", "confirmed", "offered", "accepted", "shipped", "delivered", "returned"} <= statuses
    assert KitCopy.objects.filter(status="returned").count() == 1  # awaiting sanitation
    assert KitCopy.objects.filter(status="maintenance").count() == 1
    assert KitRequest.objects.filter(has_priority=True, status__in=["confirmed", "submitted"]).exists()
