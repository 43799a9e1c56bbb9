"""/kits/reports/ and its CSV: staff see every region, a representative only theirs; cells are formula-safe."""

import csv
import io

import pytest
from django.utils import timezone

from crowdsci.kits import services
from crowdsci.kits.models import Loan
from crowdsci.kits.tests.factories import accept_offer, make_copy, make_request

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_reports_scoped_by_region_with_csv(client, kit_type, staff, rep2, rep5):
    make_copy()
    georgia = make_request(name="=HYPERLINK(1) Georgia", state="GA", confirm_by=rep2)
    make_request(name="Oregon Library", state="OR")
    (loan,) = services.kits_allocate()
    accept_offer(georgia)
    services.loan_ship(actor=staff, loan=loan, carrier="UPS", tracking_number="1")
    services.loan_deliver(actor=staff, loan=loan)
    Loan.objects.filter(pk=loan.pk).update(due_date=timezone.localdate() - timezone.timedelta(days=2))

    client.force_login(rep2)
    text = client.get("/kits/reports/").content.decode()
    assert "Region 2" in text and "Region 5" not in text
    assert "Overdue loans" in text and "HYPERLINK" in text  # the overdue Georgia loan
    rows = csv_rows(client.get("/kits/reports/export.csv"))
    assert [row["organization"] for row in rows] == ["'=HYPERLINK(1) Georgia"]  # neutralized for spreadsheets
    assert rows[0]["status"] == "delivered" and rows[0]["copy"] and rows[0]["hours_to_confirm"] != ""

    client.force_login(staff)
    text = client.get("/kits/reports/").content.decode()
    assert "Region 2" in text and "Region 5" in text
    response = client.get("/kits/reports/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert sorted(row["region"] for row in csv_rows(response)) == ["2", "5"]


def test_reports_refused_to_others(client, kit_type):
    from crowdsci.network.tests.factories import make_user

    client.force_login(make_user("plain"))
    assert client.get("/kits/reports/").status_code == 403
    assert client.get("/kits/reports/export.csv").status_code == 403
