"""Every tracked edit of a campaign, one row each: the one writer behind ``manage.py campaign_export`` and the
campaign pages' ``edits.csv``. One row per edit with its revision id and diff link, so any figure can be checked
against Wikipedia itself.

Rows stream from the database in chunks through a server-side cursor, in storage order (the campaign link's
``(campaign, edit)`` index), so memory stays flat whatever the campaign's size. CSV cells go through ``core.csv``,
which neutralizes spreadsheet formulas.

Display choices hold in every output unless the caller reveals them (network staff, and the command, which only
they can run): an anonymous participant's username is blanked out and one shown by a display name is listed by it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import nullcontext
from typing import IO, Any

from django.db import connections, transaction
from django.db.models import CharField, Func, TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from crowdsci.campaigns import wiki
from crowdsci.campaigns.models import Campaign, CampaignEdit, Participant
from crowdsci.core.csv import csv_write

COLUMNS = (
    "wiki", "revid", "parent_revid", "page_title", "namespace", "user", "timestamp", "status", "citations_added",
    "citations_removed", "citations_enriched", "nlm_citations_added", "nlm_by_source", "bytes_changed", "summary",
    "diff_url", "added_citations",
)
# Columns holding JSON (as text in CSV rows, as values in JSON lines).
JSON_COLUMNS = ("nlm_by_source", "added_citations")
CHUNK = 5000

# Only these columns can hold text someone typed (a title, a username or display name, a summary); every other
# cell is a number, None, or text the tracker writes (a wiki name, a status, a timestamp, a URL, JSON).
TEXT_COLUMNS = tuple(COLUMNS.index(name) for name in ("page_title", "user", "summary"))


class UtcSeconds(Func):
    """A timestamp as ISO 8601 UTC text to the second ("2026-03-10T12:00:00Z"), written by the database: the
    export's rows then carry it as text, with no datetime built and formatted again per row in Python."""

    output_field = CharField()
    # SQLite keeps Django's datetimes as "YYYY-MM-DD HH:MM:SS[.ffffff]" text in UTC.
    template = "replace(substr(%(expressions)s, 1, 19), ' ', 'T') || 'Z'"

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template=(
            "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"), **extra_context)


_FIELDS = (
    "edit__wiki", "edit__revid", "edit__parent_revid", "edit__page_title", "edit__namespace", "edit__user",
    "timestamp_text", "edit__status", "edit__citations_added", "edit__citations_removed", "edit__citations_enriched",
    "edit__nlm_citations_added", "nlm_by_source_text", "edit__bytes_changed", "edit__summary",
    "added_citations_text", "participant_id", "participant__display", "participant__user__profile__display_name",
)


def edit_rows(campaign: Campaign, *, reveal_anonymous: bool) -> Iterator[list[Any]]:
    """CSV rows in COLUMNS order, one per tracked edit of the campaign: unknown figures None (an empty cell), the
    JSON columns as their JSON text, the timestamp in ISO 8601 UTC.

    The hot loop of a multi-million-row download: the timestamp and the JSON columns come as the database's text
    (not parsed and formatted again), Django's per-cell conversion is skipped (raw rows of a chunked cursor are what
    a CSV needs), each wiki's diff address prefix is built once, and only TEXT_COLUMNS need a formula check.
    """
    links = (
        CampaignEdit.objects.filter(campaign=campaign)
        .annotate(timestamp_text=UtcSeconds("edit__timestamp"),
                  nlm_by_source_text=Cast("edit__nlm_by_source", TextField()),
                  added_citations_text=Cast("edit__added_citations", TextField()))
        .order_by("edit_id")
        .values_list(*_FIELDS)
    )
    sql, params = links.query.sql_with_params()
    connection = connections[links.db]
    # On PostgreSQL a server-side cursor outside a transaction is declared WITH HOLD, which makes the server
    # compute every row before sending the first; inside one it streams. (SQLite's cursor streams as it is, and a
    # transaction there would take the write lock for the whole download.)
    streaming = transaction.atomic(using=links.db) if connection.vendor == "postgresql" else nullcontext()
    with streaming:
        yield from _rows_from(connection, sql, params, reveal_anonymous)


def _rows_from(connection, sql: str, params: tuple, reveal_anonymous: bool) -> Iterator[list[Any]]:
    anonymous, display_name_choice = Participant.Display.ANONYMOUS, Participant.Display.DISPLAY_NAME
    unnamed = _("Participant %(number)s")  # translated once, not per row
    diff_prefixes: dict[str, str] = {}
    cursor = connection.chunked_cursor()
    try:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            for (wiki_name, revid, parent, title, namespace, user, timestamp, status, added, removed, enriched, nlm,
                 by_source, size, summary, citations, participant_id, display, display_name) in rows:
                if display is not None and not reveal_anonymous:
                    if display == anonymous:
                        user = ""
                    elif display == display_name_choice:
                        user = display_name or unnamed % {"number": participant_id}
                prefix = diff_prefixes.get(wiki_name)
                if prefix is None:
                    prefix = diff_prefixes[wiki_name] = wiki.diff_url(wiki_name, 0).removesuffix("0")
                yield [wiki_name, revid, parent, title, namespace, user, timestamp, status, added, removed,
                       enriched, nlm, by_source, size, summary, f"{prefix}{revid}", citations]
    finally:
        cursor.close()


def edit_records(campaign: Campaign, *, reveal_anonymous: bool) -> Iterator[dict[str, Any]]:
    """The same rows as dicts of COLUMNS, the JSON columns parsed (for JSON lines)."""
    for row in edit_rows(campaign, reveal_anonymous=reveal_anonymous):
        record = dict(zip(COLUMNS, row, strict=True))
        for column in JSON_COLUMNS:
            if record[column] is not None:
                record[column] = json.loads(record[column])
        yield record


def write_csv(campaign: Campaign, output: IO[str], *, reveal_anonymous: bool) -> int:
    rows = edit_rows(campaign, reveal_anonymous=reveal_anonymous)
    return csv_write(output, COLUMNS, rows, text_columns=TEXT_COLUMNS)


def write_jsonl(campaign: Campaign, output: IO[str], *, reveal_anonymous: bool) -> int:
    count = 0
    for record in edit_records(campaign, reveal_anonymous=reveal_anonymous):
        output.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count
