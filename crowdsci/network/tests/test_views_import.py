import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from crowdsci.network.models import Organization
from crowdsci.network.organization_csv import COLUMNS, MAX_UPLOAD_BYTES
from crowdsci.network.tests.factories import make_organization, make_user

pytestmark = pytest.mark.django_db
URL = reverse("network-import")
HEADER = ",".join(COLUMNS)
GEORGIA = "Macon Library,public,,Macon,GA,,,,arsl,,"
OREGON = "Salem Library,public,,Salem,OR,,,,,,"


def upload(client, *rows: str, name: str = "orgs.csv"):
    data = ("\n".join([HEADER, *rows]) + "\n").encode()
    return client.post(URL, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(URL, {"csv_text": HEADER + "\n" + GEORGIA}).status_code == 302
    assert not Organization.objects.exists()


@pytest.mark.parametrize("role", ["participant", "organizer"])
def test_organizers_and_participants_are_refused(client, role):
    library = make_organization("Atlanta Library", state="GA", city="Atlanta")
    client.force_login(make_user(role=role, organization=library if role == "organizer" else None))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"csv_text": HEADER + "\n" + GEORGIA}).status_code == 403
    assert Organization.objects.count() == 1


def test_page_documents_the_columns(client):
    client.force_login(make_user(role="staff"))
    content = client.get(URL).content.decode()
    for column in COLUMNS:
        assert f"<code>{column}</code>" in content


def test_upload_previews_then_confirm_imports(client):
    client.force_login(make_user(role="staff"))
    response = upload(client, GEORGIA, OREGON)
    content = response.content.decode()
    assert "Preview: nothing has been imported yet" in content
    assert "This file would create 2 and update 0 organizations." in content
    assert not Organization.objects.exists()
    csv_text = response.context["confirm_form"].initial["csv_text"]
    response = client.post(URL, {"csv_text": csv_text})
    assert "Imported: 2 created, 0 updated." in response.content.decode()
    assert Organization.objects.count() == 2


def test_errors_are_listed_with_line_and_column_and_nothing_is_stored(client):
    client.force_login(make_user(role="staff"))
    response = upload(client, GEORGIA, "Bad,castle,,X,ZZ,,,,,,")
    content = response.content.decode()
    assert "The file has 2 errors; nothing was imported." in content
    assert "<td>3</td><td>type</td>" in content and "<td>3</td><td>state</td>" in content
    assert "confirm_form" not in response.context
    assert not Organization.objects.exists()


def test_a_forged_confirmation_is_checked_again(client):
    client.force_login(make_user(role="coordinator", region=2))
    response = client.post(URL, {"csv_text": HEADER + "\n" + OREGON + "\n"})
    assert "outside the regions you coordinate" in response.content.decode()
    assert not Organization.objects.exists()


def test_a_coordinator_of_region_2_cannot_import_region_5_rows(client):
    client.force_login(make_user(role="coordinator", region=2))
    response = upload(client, GEORGIA, OREGON)
    content = response.content.decode()
    assert "<td>3</td><td>state</td><td>OR is outside the regions you coordinate.</td>" in content
    assert "You may import organizations in these states and territories:" in content
    response = upload(client, GEORGIA)
    client.post(URL, {"csv_text": response.context["confirm_form"].initial["csv_text"]})
    assert list(Organization.objects.values_list("name", flat=True)) == ["Macon Library"]


def test_not_utf8_and_too_large_files_get_a_message(client):
    client.force_login(make_user(role="staff"))
    response = client.post(URL, {"file": SimpleUploadedFile("x.csv", "Peñuelas".encode("latin-1"))})
    assert "is not UTF-8 text" in response.content.decode()
    response = client.post(URL, {"file": SimpleUploadedFile("x.csv", b"a" * (MAX_UPLOAD_BYTES + 1))})
    assert "larger than 2 MB" in response.content.decode()


def test_import_posts_are_rate_limited(client, one_ratelimit_window):
    client.force_login(make_user(role="staff"))
    statuses = [client.post(URL, {"csv_text": HEADER + "\n"}).status_code for _ in range(31)]
    # 429 once django_ratelimit's middleware routes Ratelimited to RATELIMIT_VIEW; 403 (PermissionDenied) without.
    assert statuses[:30] == [200] * 30 and statuses[30] == 429


def test_a_large_file_goes_through_preview_and_confirm(client):
    from django.test.client import MULTIPART_CONTENT, encode_multipart

    client.force_login(make_user(role="staff"))
    rows = [f"Library number {number} with a long enough name,public,,Macon,GA,,,,arsl,," for number in range(3000)]
    response = upload(client, *rows)
    csv_text = response.context["confirm_form"].initial["csv_text"]
    assert len(csv_text) > 150_000
    # Sent as the page's form sends it: multipart, so the text is not percent-encoded on the way back.
    body = encode_multipart("BoUnDaRy", {"csv_text": csv_text})
    assert b"%2C" not in body and MULTIPART_CONTENT
    response = client.post(URL, body, content_type="multipart/form-data; boundary=BoUnDaRy")
    assert "Imported: 3000 created, 0 updated." in response.content.decode()


def test_a_nul_character_is_refused_at_preview_and_at_confirmation_with_a_row_error(client):
    # Found when the running site was attacked: the confirm step re-rendered with nothing written and no message.
    client.force_login(make_user(role="staff"))
    poisoned = "Macon\x00 Library,public,,Macon,GA,,,,arsl,,"
    response = upload(client, poisoned)
    assert "<td>2</td><td>name</td><td>Contains a NUL character" in response.content.decode()
    assert "confirm_form" not in response.context
    response = client.post(URL, {"csv_text": HEADER + "\n" + OREGON + "\n" + poisoned + "\n"})
    content = response.content.decode()
    assert "The file has 1 error; nothing was imported." in content
    assert "<td>3</td><td>name</td><td>Contains a NUL character" in content
    assert not Organization.objects.exists()


def test_a_confirmation_that_is_not_a_file_says_so(client):
    client.force_login(make_user(role="staff"))
    response = client.post(URL, {"csv_text": ""})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Organization.objects.exists()
