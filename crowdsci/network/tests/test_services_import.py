import pytest

from crowdsci.core.models import AuditEntry
from crowdsci.network.errors import NetworkError
from crowdsci.network.models import Affiliation, Organization
from crowdsci.network.organization_csv import COLUMNS, MAX_UPLOAD_BYTES, decode_upload
from crowdsci.network.services import organizations_import_csv
from crowdsci.network.tests.factories import make_organization, make_user

pytestmark = pytest.mark.django_db

HEADER = ",".join(COLUMNS)
GOOD_ROW = "Mill Creek Library,public,1 Main St,Frostburg,MD,21532,39.6581,-78.9281,arsl;abos,2019-04-01,https://millcreek.example.org"
OTHER_ROW = "Coastal Health Library,hospital,,Savannah,GA,,,,,,"


def csv_text(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


def test_a_valid_file_creates_every_organization_with_one_audit_row():
    report = organizations_import_csv(actor=None, text=csv_text(GOOD_ROW, OTHER_ROW), dry_run=False)
    assert report.ok and report.written
    assert (report.to_create, report.to_update) == (2, 0)
    mill = Organization.objects.get(name="Mill Creek Library")
    assert mill.jurisdiction.code == "MD" and mill.region.number == 1
    assert str(mill.latitude) == "39.658100" and mill.member_since.isoformat() == "2019-04-01"
    assert set(mill.affiliations.values_list("code", flat=True)) == {"arsl", "abos"}
    assert mill.slug == "mill-creek-library"
    assert Organization.objects.get(name="Coastal Health Library").latitude is None
    audit = AuditEntry.objects.get(action="organization.import")
    assert len(audit.detail["created"]) == 2


def test_broken_rows_store_nothing_and_every_bad_row_is_reported_with_line_column_and_message():
    text = csv_text(
        GOOD_ROW,
        "Bad Type Library,castle,,Boise,ID,,,,,,",  # line 3
        "No City Library,public,,,ZZ,,,,,,",  # line 4: city and state
        "",  # line 5: blank, skipped but counted as a spreadsheet row
        "Coordinates Library,public,,Helena,MT,,91,,,,",  # line 6: latitude out of range, longitude missing
        "Dates Library,academic,,Fargo,ND,,,,bogus,04/01/2019,ftp://x.example.org",  # line 7
    )
    report = organizations_import_csv(actor=None, text=text, dry_run=False)
    assert not report.ok and not report.written
    assert Organization.objects.count() == 0
    assert AuditEntry.objects.filter(action="organization.import").count() == 0
    found = {(error.line, error.column) for error in report.errors}
    assert found == {
        (3, "type"),
        (4, "city"),
        (4, "state"),
        (6, "longitude"),
        (7, "affiliations"),
        (7, "member_since"),
        (7, "website"),
    }
    assert all(error.message for error in report.errors)
    type_error = next(error for error in report.errors if error.column == "type")
    assert "castle" in type_error.message and "academic" in type_error.message
    assert str(type_error).startswith("line 3, column type: ")


def test_out_of_range_coordinates_are_reported():
    report = organizations_import_csv(
        actor=None, text=csv_text("Far Library,public,,Helena,MT,,91,-200,,,"), dry_run=True
    )
    assert {(error.line, error.column) for error in report.errors} == {(2, "latitude"), (2, "longitude")}


def test_dry_run_previews_and_stores_nothing():
    make_organization("Coastal Health Library", state="GA", city="Savannah")
    report = organizations_import_csv(actor=None, text=csv_text(GOOD_ROW, OTHER_ROW.upper()), dry_run=True)
    assert report.ok and not report.written
    assert (report.to_create, report.to_update) == (1, 1)
    assert [(row.line, row.action) for row in report.rows] == [(2, "create"), (3, "update")]
    assert Organization.objects.count() == 1
    assert not AuditEntry.objects.filter(action="organization.import").exists()


def test_reimporting_the_same_file_updates_instead_of_duplicating():
    organizations_import_csv(actor=None, text=csv_text(GOOD_ROW, OTHER_ROW), dry_run=False)
    changed = GOOD_ROW.replace("1 Main St", "2 Canal St").replace("arsl;abos", "abos")
    # Natural key is case-insensitive on name and city.
    changed = changed.replace("Mill Creek Library", "MILL CREEK library").replace("Frostburg", "frostburg")
    report = organizations_import_csv(actor=None, text=csv_text(changed, OTHER_ROW), dry_run=False)
    assert (report.to_create, report.to_update) == (0, 2)
    assert Organization.objects.count() == 2
    mill = Organization.objects.get(slug="mill-creek-library")
    assert mill.address == "2 Canal St" and mill.name == "MILL CREEK library"
    assert list(mill.affiliations.values_list("code", flat=True)) == ["abos"]


def test_the_same_organization_twice_in_one_file_is_an_error():
    report = organizations_import_csv(
        actor=None, text=csv_text(GOOD_ROW, GOOD_ROW.replace("Mill Creek", "mill creek")), dry_run=False
    )
    assert [(error.line, error.column) for error in report.errors] == [(3, "name")]
    assert "line 2" in report.errors[0].message
    assert Organization.objects.count() == 0


def test_same_name_in_another_city_is_another_organization():
    report = organizations_import_csv(
        actor=None, text=csv_text(GOOD_ROW, GOOD_ROW.replace("Frostburg", "Cumberland")), dry_run=False
    )
    assert report.ok and Organization.objects.count() == 2
    assert len(set(Organization.objects.values_list("slug", flat=True))) == 2


@pytest.mark.parametrize(
    ("header", "fragment"),
    [
        (HEADER.replace(",website", ""), "Missing columns: website"),
        (HEADER + ",notes", "Unknown columns: notes"),
        (HEADER.replace("city", "name"), "Repeated columns: name"),
    ],
)
def test_a_wrong_header_is_a_clear_error_on_line_1(header, fragment):
    report = organizations_import_csv(actor=None, text=header + "\n" + GOOD_ROW + "\n", dry_run=False)
    assert report.errors and all(error.line == 1 for error in report.errors)
    assert any(fragment in error.message for error in report.errors)
    assert Organization.objects.count() == 0


def test_an_empty_file_is_an_error():
    assert organizations_import_csv(actor=None, text="", dry_run=True).errors[0].line == 1


def test_utf8_with_byte_order_mark_blank_lines_and_header_case_are_accepted():
    data = ("\ufeff" + HEADER.upper() + "\r\n\r\n" + GOOD_ROW.replace("Mill Creek", "Molino Río") + "\r\n\r\n").encode()
    report = organizations_import_csv(actor=None, text=decode_upload(data), dry_run=False)
    assert report.ok
    assert report.rows[0].line == 3  # as a spreadsheet numbers it: the blank line 2 still counts
    assert Organization.objects.get().name == "Molino Río Library"


def test_a_multi_line_cell_counts_as_one_spreadsheet_row():
    report = organizations_import_csv(
        actor=None,
        text=csv_text('Quoted Library,public,"1 Main St\nSuite 2",Frostburg,MD,,,,,,', "X,bad,,Y,MD,,,,,,"),
        dry_run=True,
    )
    assert [(error.line, error.column) for error in report.errors] == [(3, "type")]


def test_non_utf8_and_oversized_uploads_are_refused_with_a_message():
    with pytest.raises(NetworkError, match="UTF-8"):
        decode_upload((HEADER + "\nBiblioteca Peñuelas,public,,Ponce,PR,,,,,,\n").encode("latin-1"))
    with pytest.raises(NetworkError, match="larger than"):
        decode_upload(b"x" * (MAX_UPLOAD_BYTES + 1))


def test_a_coordinator_imports_only_rows_in_their_region():
    coordinator = make_user("coordinator-two", role="coordinator", region=2)
    report = organizations_import_csv(actor=coordinator, text=csv_text(GOOD_ROW, OTHER_ROW), dry_run=False)
    assert [(error.line, error.column) for error in report.errors] == [(2, "state")]
    assert "outside the regions you coordinate" in report.errors[0].message
    assert Organization.objects.count() == 0
    report = organizations_import_csv(actor=coordinator, text=csv_text(OTHER_ROW), dry_run=False)
    assert report.written and Organization.objects.get().jurisdiction.code == "GA"
    assert AuditEntry.objects.get(action="organization.import").actor == coordinator


def test_someone_without_a_network_role_can_import_nothing():
    organizer = make_user("organizer-one", role="participant")
    report = organizations_import_csv(actor=organizer, text=csv_text(OTHER_ROW), dry_run=False)
    assert [error.column for error in report.errors] == ["state"]
    assert Organization.objects.count() == 0


def test_network_staff_import_anywhere():
    staff = make_user("staff-one", role="staff")
    report = organizations_import_csv(actor=staff, text=csv_text(GOOD_ROW, OTHER_ROW), dry_run=False)
    assert report.written and Organization.objects.count() == 2


def test_affiliation_codes_are_data():
    Affiliation.objects.create(code="mla", name="Medical Library Association")
    report = organizations_import_csv(actor=None, text=csv_text(GOOD_ROW.replace("arsl;abos", "MLA")), dry_run=False)
    assert report.ok
    assert list(Organization.objects.get().affiliations.values_list("code", flat=True)) == ["mla"]


def test_a_failure_while_writing_rolls_back_every_row(monkeypatch):
    from crowdsci.network import organization_csv

    real_check = organization_csv.check_csv

    def check_then_someone_else_adds_the_last_row(text, **kwargs):
        report = real_check(text, **kwargs)
        make_organization("Coastal Health Library", state="GA", city="Savannah")  # a concurrent creation
        return report

    monkeypatch.setattr(organization_csv, "check_csv", check_then_someone_else_adds_the_last_row)
    with pytest.raises(NetworkError, match="nothing was stored"):
        organizations_import_csv(actor=None, text=csv_text(GOOD_ROW, OTHER_ROW), dry_run=False)
    assert list(Organization.objects.values_list("name", flat=True)) == ["Coastal Health Library"]
    assert not AuditEntry.objects.filter(action="organization.import").exists()


def test_a_nul_character_is_refused_in_any_column_and_nothing_else_is_said_about_that_cell():
    row = "Mill\x00 Creek,public,1 Main St,Frostburg,M\x00D,21532,39.6\x00581,-78.9281,arsl,2019-04-01,https://x.example"
    report = organizations_import_csv(actor=None, text=csv_text(row), dry_run=False)
    assert [(error.line, error.column) for error in report.errors] == [(2, "name"), (2, "state"), (2, "latitude")]
    assert all(error.message.startswith("Contains a NUL character") for error in report.errors)
    assert Organization.objects.count() == 0


def test_rows_are_checked_against_the_models_own_field_limits():
    from crowdsci.network.models import Organization as Model

    limit = Model._meta.get_field("postal_code").max_length
    report = organizations_import_csv(
        actor=None,
        text=csv_text(GOOD_ROW.replace("21532", "9" * (limit + 1)), OTHER_ROW.replace("Savannah", "")),
        dry_run=True,
    )
    assert [(error.line, error.column, error.message) for error in report.errors] == [
        (2, "postal_code", f"At most {limit} characters."),
        (3, "city", "Required."),
    ]


def test_coordinates_with_more_places_than_stored_are_rounded_as_before():
    report = organizations_import_csv(
        actor=None, text=csv_text(GOOD_ROW.replace("39.6581", "39.65812349")), dry_run=False
    )
    assert report.ok
    assert str(Organization.objects.get().latitude) == "39.658123"
