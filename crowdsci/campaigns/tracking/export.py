"""Every tracked edit of a campaign, one row each: the writer behind ``campaign_export`` and the campaign pages'
CSV download. Rows stream from the database in chunks (constant memory); CSV cells go through ``core.csv``, which
neutralizes spreadsheet formulas."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from crowdsci.campaigns.models import Campaign, TrackedEdit
from crowdsci.core.csv import csv_write

COLUMNS = (
    "wiki", "revid", "parent_revid", "page_title", "namespace", "user", "timestamp", "status", "citations_added",
    "citations_removed", "citations_enriched", "nlm_citations_added", "nlm_by_source", "bytes_changed", "summary",
)


def _timestamp(edit: TrackedEdit) -> str:
    return edit.timestamp.strftime("%Y-%m-%dT%H:%M:%SZ")


def edit_records(campaign: Campaign) -> Iterator[dict[str, Any]]:
    """Each tracked edit of the campaign as a dict of COLUMNS (None where a figure is unknown), oldest first."""
    edits = TrackedEdit.objects.filter(campaign_links__campaign=campaign).order_by("timestamp", "pk")
    for edit in edits.iterator(chunk_size=2000):
        yield {
            "wiki": edit.wiki, "revid": edit.revid, "parent_revid": edit.parent_revid, "page_title": edit.page_title,
            "namespace": edit.namespace, "user": edit.user, "timestamp": _timestamp(edit), "status": edit.status,
            "citations_added": edit.citations_added, "citations_removed": edit.citations_removed,
            "citations_enriched": edit.citations_enriched, "nlm_citations_added": edit.nlm_citations_added,
            "nlm_by_source": edit.nlm_by_source, "bytes_changed": edit.bytes_changed, "summary": edit.summary,
        }


def edit_rows(campaign: Campaign) -> Iterator[list[Any]]:
    """CSV rows in COLUMNS order: unknown figures empty, ``nlm_by_source`` a JSON object."""
    for record in edit_records(campaign):
        by_source = record["nlm_by_source"]
        record["nlm_by_source"] = json.dumps(by_source, sort_keys=True) if by_source is not None else ""
        yield ["" if record[column] is None else record[column] for column in COLUMNS]


def write_csv(campaign: Campaign, output: IO[str]) -> int:
    return csv_write(output, COLUMNS, edit_rows(campaign))


def write_jsonl(campaign: Campaign, output: IO[str]) -> int:
    count = 0
    for record in edit_records(campaign):
        output.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count
