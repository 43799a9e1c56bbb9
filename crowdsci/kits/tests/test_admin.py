"""Kit types in the admin: staff only, saved through kit_type_save (audited)."""

import pytest

from crowdsci.core.models import AuditEntry
from crowdsci.kits import services
from crowdsci.kits.errors import KitsError
from crowdsci.kits.models import KitType

pytestmark = pytest.mark.django_db


def test_staff_edit_a_kit_type_in_the_admin_and_representatives_cannot(client, kit_type, staff, rep2):
    client.force_login(rep2)
    assert client.get(f"/admin/kits/kittype/{kit_type.pk}/change/").status_code in (403, 404)
    client.force_login(staff)
    response = client.post(
        f"/admin/kits/kittype/{kit_type.pk}/change/",
        {
            "name": "Test the Waters kit",
            "slug": "test-the-waters",
            "description": "",
            "contents": '["Test strips", "Gloves"]',
            "sanitation_steps": '["Wipe"]',
            "sanitation_guide": "Wipe it.",
            "activity_guide": "",
        },
    )
    assert response.status_code == 302
    kit_type.refresh_from_db()
    assert kit_type.contents == ["Test strips", "Gloves"]
    assert AuditEntry.objects.filter(action="kit_type.update", actor=staff).exists()
    assert client.post(f"/admin/kits/kittype/{kit_type.pk}/delete/", {"post": "yes"}).status_code == 403
    assert KitType.objects.filter(pk=kit_type.pk).exists()


def test_checklists_must_be_lists_of_lines(kit_type, staff):
    kit_type.contents = "Test strips"
    with pytest.raises(KitsError, match="lists of text lines"):
        services.kit_type_save(actor=staff, kit_type=kit_type)
