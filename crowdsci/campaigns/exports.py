"""The campaign's CSV downloads, streamed in constant memory through crowdsci.core.csv.

Display choices hold here as on the pages: for anyone but network staff, an anonymous participant's username is
blanked out of the edits file and their row in the participants file says "anonymous"; a participant who chose a
display name is listed by it in both (the diff link still lets anyone check the edit on Wikipedia).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import nullcontext
from datetime import UTC, datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connections, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _

from crowdsci.campaigns import wiki
from crowdsci.campaigns.models import Campaign, CampaignEdit, Participant
from crowdsci.campaigns.selectors.access import user_manages_campaigns
from crowdsci.campaigns.selectors.dashboard import article_rows
from crowdsci.core.csv import csv_streaming_response

# The tracker's export columns (issue 12, campaign_export), in its order, then the diff link for checking.
EDIT_COLUMNS = ("wiki", "revid", "parent_revid", "page_title", "namespace", "user", "timestamp", "status",
                "citations_added", "citations_removed", "citations_enriched", "nlm_citations_added", "nlm_by_source",
                "bytes_changed", "summary", "diff_url")
PARTICIPANT_COLUMNS = ("shown_as", "wikipedia_username", "organization", "joined", "left", "edits",
                       "citations_added", "nlm_citations_added")
ARTICLE_COLUMNS = ("wiki", "title", "url", "edits", "citations_added", "nlm_citations_added", "bytes_changed",
                   "reverted_edits", "hidden_edits", "created")
CHUNK = 5000

AnyUser = AbstractBaseUser | AnonymousUser


def edit_rows(campaign: Campaign, *, reveal_anonymous: bool) -> Iterator[list]:
    """One row per tracked edit of the campaign, in storage order, read in chunks through a server-side cursor.

    The hot loop of a multi-million-row download: the JSON column comes as its text (not parsed and dumped
    again), and each wiki's diff address prefix is built once.
    """
    fields = ("edit__wiki", "edit__revid", "edit__parent_revid", "edit__page_title", "edit__namespace", "edit__user",
              "edit__timestamp", "edit__status", "edit__citations_added", "edit__citations_removed",
              "edit__citations_enriched", "edit__nlm_citations_added", "nlm_by_source_text",
              "edit__bytes_changed", "edit__summary", "participant_id", "participant__display",
              "participant__user__profile__display_name")
    links = (
        CampaignEdit.objects.filter(campaign=campaign)
        .annotate(nlm_by_source_text=Cast("edit__nlm_by_source", TextField()))
        .order_by("edit_id")
        .values_list(*fields)
    )
    # Django's values_list iterator converts every cell in Python; the raw rows of a server-side (chunked) cursor
    # are what the database driver already gives, which is what a CSV needs.
    sql, params = links.query.sql_with_params()
    connection = connections[links.db]
    # On PostgreSQL a server-side cursor outside a transaction is declared WITH HOLD, which makes the server
    # compute every row before sending the first; inside one it streams. (SQLite's cursor streams as it is, and a
    # transaction there would take the write lock for the whole download.)
    streaming = transaction.atomic(using=links.db) if connection.vendor == "postgresql" else nullcontext()
    with streaming:
        yield from _edit_rows_from(connection, sql, params, reveal_anonymous)


def _edit_rows_from(connection, sql: str, params: tuple, reveal_anonymous: bool) -> Iterator[list]:
    anonymous, display_name_choice = Participant.Display.ANONYMOUS, Participant.Display.DISPLAY_NAME
    diff_prefixes: dict[str, str] = {}
    cursor = connection.chunked_cursor()
    try:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            for (wiki_name, revid, parent, title, namespace, user, timestamp, status, added, removed, enriched, nlm,
                 by_source, size, summary, participant_id, display, display_name) in rows:
                if display is not None and not reveal_anonymous:
                    if display == anonymous:
                        user = ""
                    elif display == display_name_choice:
                        user = display_name or _("Participant %(number)s") % {"number": participant_id}
                prefix = diff_prefixes.get(wiki_name)
                if prefix is None:
                    prefix = diff_prefixes[wiki_name] = wiki.diff_url(wiki_name, 0).removesuffix("0")
                yield [wiki_name, revid, parent, title, namespace, user, _iso(timestamp), status, added, removed,
                       enriched, nlm, by_source if by_source is not None else "", size, summary, f"{prefix}{revid}"]
    finally:
        cursor.close()


def _iso(moment: datetime | str) -> str:
    """A timestamp in ISO 8601 UTC from a raw row: aware on PostgreSQL, naive UTC (or text) on SQLite."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC).isoformat()
    return moment.astimezone(UTC).isoformat()


def edits_csv_response(campaign: Campaign, *, viewer: AnyUser) -> StreamingHttpResponse:
    rows = edit_rows(campaign, reveal_anonymous=user_manages_campaigns(viewer))
    return csv_streaming_response(f"{campaign.slug}-edits.csv", EDIT_COLUMNS, rows)


def participant_rows(campaign: Campaign, *, staff: bool) -> Iterator[list]:
    from crowdsci.campaigns.models import CampaignAggregate
    from crowdsci.campaigns.selectors.dashboard import participant_public_name

    figures = {
        key: (edits, citations, nlm)
        for key, edits, citations, nlm in CampaignAggregate.objects.filter(
            campaign=campaign, kind=CampaignAggregate.Kind.USER
        ).values_list("key", "edits", "citations_added", "nlm_citations_added").iterator(chunk_size=CHUNK)
    }
    participants = Participant.objects.filter(campaign=campaign).select_related("user__profile", "organization")
    for participant in participants.order_by("id").iterator(chunk_size=CHUNK):
        edits, citations, nlm = figures.get(participant.wikipedia_username, (0, 0, 0))
        name = participant_public_name(participant)
        if name is None and not staff:
            yield ["anonymous", "", "", "", "", edits, citations, nlm]
            continue
        shown = name if name is not None else "anonymous"
        username = participant.wikipedia_username if staff or \
            participant.display == Participant.Display.USERNAME else ""
        yield [shown, username, participant.organization.name if participant.organization else "",
               participant.joined.isoformat(), participant.left.isoformat() if participant.left else "",
               edits, citations, nlm]


def participants_csv_response(campaign: Campaign, *, viewer: AnyUser) -> StreamingHttpResponse:
    rows = participant_rows(campaign, staff=user_manages_campaigns(viewer))
    return csv_streaming_response(f"{campaign.slug}-participants.csv", PARTICIPANT_COLUMNS, rows)


def article_rows_csv(campaign: Campaign) -> Iterator[list]:
    for row in article_rows(campaign).iterator(chunk_size=CHUNK):
        wiki_name, _sep, title = row.key.partition(":")
        yield [wiki_name, title, wiki.article_url(wiki_name, title), row.edits, row.citations_added,
               row.nlm_citations_added, row.bytes_changed, row.reverted_edits, row.hidden_edits,
               row.articles_created]


def articles_csv_response(campaign: Campaign) -> StreamingHttpResponse:
    return csv_streaming_response(f"{campaign.slug}-articles.csv", ARTICLE_COLUMNS, article_rows_csv(campaign))
