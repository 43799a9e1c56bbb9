"""``campaign_export`` (columns, streaming, formula escaping), ``replay_stream``, ``refresh_edits`` and
``backfill_campaign`` through call_command, against the local fake."""

from __future__ import annotations

import csv
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from crowdsci.campaigns.models import TrackedEdit
from crowdsci.campaigns.services.campaigns import participant_join
from crowdsci.campaigns.services.edits import Credit, EditCandidate, edit_credit, edits_store
from crowdsci.campaigns.tracking import export
from crowdsci.campaigns.tracking.matching import Match
from crowdsci.core.csv import spreadsheet_unsafe
from crowdsci.network.tests.factories import make_user

from .conftest import IN_PERIOD, START, at, fake_data, make_campaign, next_revid, recentchange, revision

pytestmark = pytest.mark.django_db
Status = TrackedEdit.Status

HEADER = ("wiki,revid,parent_revid,page_title,namespace,user,timestamp,status,citations_added,citations_removed,"
          "citations_enriched,nlm_citations_added,nlm_by_source,bytes_changed,summary,diff_url,added_citations")


def stored_edit(campaign, *, summary: str, revid: int | None = None, parent: int | None = 1, user: str = "Ann"):
    candidate = EditCandidate(wiki="enwiki", revid=revid or next_revid(), parent_revid=parent, page_title="Aspirin",
                              namespace=0, user=user, timestamp=IN_PERIOD, summary=summary, is_new_page=parent is None,
                              matches=(Match(campaign.pk, "hashtag", None),))
    [edit_id] = edits_store(candidates=[candidate], enqueue_crediting=False).new_edit_ids
    return edit_id


def test_export_columns_order_values_and_formula_escaping(tmp_path):
    campaign = make_campaign(slug="spring")
    dangerous = ["=HYPERLINK(\"http://x\")", "+1 source #CiteNLM", "-fix #CiteNLM", "@cmd #CiteNLM"]
    ids = [stored_edit(campaign, summary=summary) for summary in dangerous]
    edit_credit(edit_id=ids[0], credit=Credit(3, 1, 0, 2, {"pubmed": 1, "pmc": 1}, {"pmid": 2}, -12))
    output = tmp_path / "edits.csv"
    call_command("campaign_export", "spring", "--output", str(output), stderr=StringIO())
    text = output.read_text(encoding="utf-8")
    assert text.splitlines()[0] == HEADER
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == 4
    first = rows[0]
    assert (first["status"], first["citations_added"], first["nlm_citations_added"]) == ("credited", "3", "2")
    assert json.loads(first["nlm_by_source"]) == {"pmc": 1, "pubmed": 1}
    assert first["bytes_changed"] == "-12"  # a number, not escaped
    assert rows[1]["citations_added"] == "" and rows[1]["status"] == "pending"  # unknown, not zero
    for row, summary in zip(rows, dangerous, strict=True):
        assert row["summary"] == "'" + summary  # shown as text, never run as a formula
        assert spreadsheet_unsafe(row["summary"]) == summary
    assert first["timestamp"] == "2026-03-10T12:00:00Z"


def test_export_jsonl_and_standard_output():
    campaign = make_campaign(slug="spring")
    stored_edit(campaign, summary="=1+1")
    out = StringIO()
    call_command("campaign_export", "spring", "--format", "jsonl", stdout=out)
    [record] = [json.loads(line) for line in out.getvalue().splitlines()]
    assert list(record) == list(export.COLUMNS)
    assert record["summary"] == "=1+1"  # JSON is data, not a spreadsheet: the summary as written
    out = StringIO()
    call_command("campaign_export", "spring", stdout=out)
    assert out.getvalue().splitlines()[0] == HEADER


def test_export_of_an_unknown_slug_is_an_error():
    with pytest.raises(CommandError, match="No campaign has the slug 'nope'"):
        call_command("campaign_export", "nope")


def test_replay_feeds_recorded_events_through_the_same_path(tmp_path, fake_server, tracker_settings,
                                                            django_capture_on_commit_callbacks):
    campaign = make_campaign()
    parent, child = next_revid(), next_revid()
    fake_server.data = fake_data(revisions=[revision(parent, 0, "Text."),
                                            revision(child, parent, "Text.<ref>{{cite journal |pmid=5}}</ref>")])
    lines = [json.dumps(recentchange(revid=child, parent=parent, comment="#CiteNLM")),
             "{not json",
             json.dumps(recentchange(comment="copyedit")),
             json.dumps(recentchange(revid=child, parent=parent, comment="#CiteNLM"))]  # the same edit again
    recording = tmp_path / "events.ndjson"
    recording.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("replay_stream", str(recording), stdout=out)
    assert out.getvalue() == "4 events read, 1 malformed (skipped), 1 new edits stored\n"
    edit = TrackedEdit.objects.get()
    assert (edit.revid, edit.source, edit.status, edit.nlm_citations_added) == (child, "replay", "credited", 1)
    assert list(campaign.edits.all()) == [edit]
    with pytest.raises(CommandError, match="cannot read"):
        call_command("replay_stream", str(tmp_path / "missing.ndjson"))


def test_refresh_edits_marks_reverted_and_hidden_edits(fake_server, tracker_settings):
    campaign = make_campaign(slug="spring")
    kept, reverted, hidden = next_revid(), next_revid(), next_revid()
    for revid in (kept, reverted, hidden):
        edit_id = stored_edit(campaign, summary="#CiteNLM", revid=revid)
        edit_credit(edit_id=edit_id, credit=Credit(1, 0, 0, 1, {"pubmed": 1}, {}, 5))
    fake_server.data = fake_data(revisions=[revision(kept, 1, "x"), revision(reverted, 1, "x", tags=["mw-reverted"])])
    out = StringIO()
    call_command("refresh_edits", "spring", stdout=out)
    assert out.getvalue().startswith("campaigns: spring; checked 3, newly reverted 1, newly hidden 1")
    statuses = dict(TrackedEdit.objects.values_list("revid", "status"))
    assert statuses == {kept: "credited", reverted: "reverted", hidden: "hidden"}
    # Both keep the figures they had, outside the totals.
    assert TrackedEdit.objects.get(revid=hidden).citations_added == 1
    totals = campaign.aggregates.get(kind="total")
    assert (totals.edits, totals.citations_added, totals.reverted_edits, totals.hidden_edits) == (1, 1, 1, 1)
    # Without a slug: campaigns running now or ended within 30 days (this one ended in 2026-04: not refreshed).
    out = StringIO()
    call_command("refresh_edits", stdout=out)
    assert "spring" not in out.getvalue()


def test_backfill_stores_participants_edits_once_even_when_run_again(fake_server, tracker_settings):
    campaign = make_campaign(slug="spring")
    participant_join(campaign=campaign, user=make_user("ann"), wikipedia_username="Ann", at=START)
    data = fake_data()
    tagged, untagged, early = next_revid(), next_revid(), next_revid()
    for revid, comment, moment in ((tagged, "refs #CiteNLM", at(3)), (untagged, "copyedit", at(4)),
                                   (early, "#CiteNLM", START.replace(month=2))):
        data.contributions.append({
            "user": "Ann", "revid": revid, "parentid": 1, "ns": 0, "title": "Aspirin",
            "timestamp": moment.strftime("%Y-%m-%dT%H:%M:%SZ"), "comment": comment, "size": 10, "minor": False,
            "new": False, "top": False,
        })
    fake_server.data = data
    for _run in range(2):
        out = StringIO()
        call_command("backfill_campaign", "spring", stdout=out)
    assert "done: 1 participants, 2 contributions read, 0 new edits" in out.getvalue()
    assert "about 0 s left" in out.getvalue()
    assert list(TrackedEdit.objects.values_list("revid", "source")) == [(tagged, "backfill")]
