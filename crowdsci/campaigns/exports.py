"""The campaign's CSV downloads, streamed in constant memory through crowdsci.core.csv. The edits file is the
tracker's export (``tracking.export``); the participants and articles files are the pages' own.

Display choices hold here as on the pages: for anyone but network staff, an anonymous participant's username is
blanked out of the edits file and their row in the participants file says "anonymous"; a participant who chose a
display name is listed by it in both (the diff link still lets anyone check the edit on Wikipedia).
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import StreamingHttpResponse

from crowdsci.campaigns import wiki
from crowdsci.campaigns.models import Campaign, Participant
from crowdsci.campaigns.selectors.access import user_manages_campaigns
from crowdsci.campaigns.selectors.dashboard import article_rows, article_views_by_key
from crowdsci.campaigns.tracking import export
from crowdsci.core.csv import csv_streaming_response

PARTICIPANT_COLUMNS = ("shown_as", "wikipedia_username", "organization", "joined", "left", "edits",
                       "citations_added", "nlm_citations_added")
ARTICLE_COLUMNS = ("wiki", "title", "url", "edits", "citations_added", "nlm_citations_added", "bytes_changed",
                   "reverted_edits", "hidden_edits", "created", "views_since_edit", "views_as_of")
CHUNK = 5000

AnyUser = AbstractBaseUser | AnonymousUser


def edits_csv_response(campaign: Campaign, *, viewer: AnyUser) -> StreamingHttpResponse:
    """The tracker's export (``tracking.export``, the writer ``campaign_export`` uses), streamed."""
    rows = export.edit_rows(campaign, reveal_anonymous=user_manages_campaigns(viewer))
    return csv_streaming_response(f"{campaign.slug}-edits.csv", export.COLUMNS, rows,
                                  text_columns=export.TEXT_COLUMNS)


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
    rows = article_rows(campaign).iterator(chunk_size=CHUNK)
    while chunk := list(islice(rows, CHUNK)):
        views = article_views_by_key(campaign, [row.key for row in chunk])  # one read per chunk
        for row in chunk:
            wiki_name, _sep, title = row.key.partition(":")
            read = views.get(row.key)
            yield [wiki_name, title, wiki.article_url(wiki_name, title), row.edits, row.citations_added,
                   row.nlm_citations_added, row.bytes_changed, row.reverted_edits, row.hidden_edits,
                   row.articles_created, "" if read is None or read.views is None else read.views,
                   read.refreshed_at.isoformat() if read is not None and read.refreshed_at else ""]


def articles_csv_response(campaign: Campaign) -> StreamingHttpResponse:
    return csv_streaming_response(f"{campaign.slug}-articles.csv", ARTICLE_COLUMNS, article_rows_csv(campaign))
