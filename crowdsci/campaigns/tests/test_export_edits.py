"""The one edits writer (``tracking.export``) behind ``campaign_export`` and ``/campaigns/<slug>/edits.csv``: the
same columns and rows in both, one row per edit with its revision id, diff link and added citations; display
choices held for the public, revealed to staff and to the command."""

from __future__ import annotations

import csv
import io
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from crowdsci.campaigns.models import Participant
from crowdsci.campaigns.tests.page_factories import make_campaign, make_credited_edit, make_participant
from crowdsci.campaigns.tracking import export
from crowdsci.network.models import RoleAssignment
from crowdsci.network.services import profile_ensure
from crowdsci.network.tests.factories import make_user

pytestmark = pytest.mark.django_db

CITATIONS = [{"source": "pubmed", "ids": [["pmid", "222"], ["doi", "10.1000/x"]]},
             {"source": None, "ids": [["url", "=HYPERLINK(\"http://evil\")"]]}]


def page_rows(client: Client, slug: str = "spring") -> list[dict[str, str]]:
    response = client.get(f"/campaigns/{slug}/edits.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8" and response.streaming
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def command_rows(slug: str = "spring") -> list[dict[str, str]]:
    out = StringIO()
    call_command("campaign_export", slug, stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


@pytest.fixture
def campaign_with_choices():
    campaign = make_campaign("spring")
    hidden = make_participant(campaign, "Secret Editor", display=Participant.Display.ANONYMOUS)
    named_user = make_user("named")
    profile = profile_ensure(user=named_user)
    profile.display_name = "Dr. Named"
    profile.save()
    named = make_participant(campaign, "Named Username", user=named_user, display=Participant.Display.DISPLAY_NAME)
    plain = make_participant(campaign, "Plain Editor")
    edits = [
        make_credited_edit(campaign, user="Secret Editor", participant=hidden, citations=2, nlm=1,
                           added_citations=CITATIONS),
        make_credited_edit(campaign, user="Named Username", participant=named),
        make_credited_edit(campaign, user="Plain Editor", participant=plain),
        make_credited_edit(campaign, user="Walk In"),
    ]
    return campaign, edits


def test_the_page_and_the_command_write_the_same_rows_but_for_hidden_names(client: Client, campaign_with_choices):
    _campaign, edits = campaign_with_choices
    public, staff_view, command = page_rows(client), None, command_rows()
    client.force_login(make_user("staffer", role=RoleAssignment.Role.STAFF))
    staff_view = page_rows(client)
    assert list(public[0]) == list(export.COLUMNS) == list(command[0])
    assert [row["revid"] for row in public] == [str(edit.revid) for edit in edits]  # one row per edit
    assert [row["user"] for row in public] == ["", "Dr. Named", "Plain Editor", "Walk In"]
    assert [row["user"] for row in staff_view] == [row["user"] for row in command] == [
        "Secret Editor", "Named Username", "Plain Editor", "Walk In"]
    for rows in (staff_view, command):
        for mine, theirs in zip(public, rows, strict=True):
            assert {k: v for k, v in mine.items() if k != "user"} == {k: v for k, v in theirs.items() if k != "user"}
    body = b"".join(Client().get("/campaigns/spring/edits.csv").streaming_content).decode()
    assert "Secret Editor" not in body and "Named Username" not in body


def test_each_row_has_its_revision_diff_link_and_added_citations(client: Client, campaign_with_choices):
    _campaign, edits = campaign_with_choices
    first, second = page_rows(client)[:2]
    assert first["revid"] == str(edits[0].revid)
    assert first["diff_url"] == f"https://en.wikipedia.org/w/index.php?diff={edits[0].revid}"
    assert first["timestamp"] == edits[0].timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert json.loads(first["added_citations"]) == CITATIONS  # a cell starting "[": not a formula
    assert second["added_citations"] == ""  # not known: empty, not "[]"


def test_json_lines_carry_the_citations_as_data(campaign_with_choices):
    out = StringIO()
    call_command("campaign_export", "spring", "--format", "jsonl", stdout=out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(records) == 4 and list(records[0]) == list(export.COLUMNS)
    assert records[0]["added_citations"] == CITATIONS and records[1]["added_citations"] is None
    assert records[0]["nlm_by_source"] == {"pubmed": 1} and records[0]["user"] == "Secret Editor"


def test_an_empty_campaign_is_a_header_only(client: Client):
    make_campaign("spring")
    assert b"".join(client.get("/campaigns/spring/edits.csv").streaming_content).decode().splitlines() == [
        ",".join(export.COLUMNS)]


def test_typed_text_is_neutralized_for_spreadsheets_in_the_download(client: Client):
    campaign = make_campaign("spring")
    named_user = make_user("formula")
    profile = profile_ensure(user=named_user)
    profile.display_name = "+cmd|' /C calc'!A0"
    profile.save()
    person = make_participant(campaign, "Formula Editor", user=named_user, display=Participant.Display.DISPLAY_NAME)
    make_credited_edit(campaign, user="Formula Editor", participant=person, title="=HYPERLINK(\"http://x\")",
                       summary="@SUM(1) #CiteNLM")
    make_credited_edit(campaign, user="-Walk In", title="Plain")
    first, second = page_rows(client)
    assert (first["page_title"], first["user"], first["summary"]) == (
        "'=HYPERLINK(\"http://x\")", "'+cmd|' /C calc'!A0", "'@SUM(1) #CiteNLM")
    assert second["user"] == "'-Walk In" and second["page_title"] == "Plain"
    assert second["bytes_changed"] == "120" and second["status"] == "credited"
