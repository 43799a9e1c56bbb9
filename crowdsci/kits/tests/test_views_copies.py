"""/kits/manage/copies/: the list scoped by region, adding a copy (staff), return and sanitation forms."""

import pytest

from crowdsci.kits.models import KitCopy
from crowdsci.kits.tests.factories import SANITATION_STEPS, make_copy

pytestmark = pytest.mark.django_db


def test_representatives_see_their_regions_copies_and_cannot_add(client, kit_type, rep2):
    make_copy("HOME-2", region=2)
    make_copy("HOME-5", region=5)
    client.force_login(rep2)
    text = client.get("/kits/manage/copies/").content.decode()
    assert "HOME-2" in text and "HOME-5" not in text and "Add a copy" not in text
    assert client.post("/kits/manage/copies/", {"asset_tag": "X"}).status_code == 403


def test_staff_add_a_copy_and_a_duplicate_tag_is_refused(client, kit_type, staff):
    client.force_login(staff)
    data = {"kit_type": kit_type.pk, "asset_tag": "TTW-NEW", "home_region": 1}
    response = client.post("/kits/manage/copies/", data, follow=True)
    assert "Copy TTW-NEW added." in response.content.decode()
    response = client.post("/kits/manage/copies/", data, follow=True)
    assert "asset tag" in response.content.decode().lower()
    assert KitCopy.objects.filter(asset_tag="TTW-NEW").count() == 1


def test_returning_a_copy_not_on_loan_through_the_page_is_a_clear_error(client, kit_type, staff):
    copy = make_copy("TTW-IDLE")
    client.force_login(staff)
    response = client.post(f"/kits/manage/copies/{copy.pk}/", {"action": "return"}, follow=True)
    assert "TTW-IDLE is not on loan, so it cannot be returned." in response.content.decode()
    response = client.post(
        f"/kits/manage/copies/{copy.pk}/", {"action": "sanitize", "steps_done": SANITATION_STEPS}, follow=True
    )
    assert "Only a returned kit awaiting sanitation" in response.content.decode()
