"""``manage.py campaign_create``."""

from __future__ import annotations

from datetime import UTC, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from crowdsci.campaigns.models import Campaign

pytestmark = pytest.mark.django_db


def create(*args: str) -> str:
    out = StringIO()
    call_command("campaign_create", *args, stdout=out)
    return out.getvalue()


def test_creates_a_campaign_with_hashtags_with_or_without_sign():
    output = create("spring-2026", "--name", "Spring 2026", "--hashtag", "#CiteNLM", "--hashtag", "WikiMed",
                    "--wiki", "enwiki", "--wiki", "eswiki", "--namespace", "0", "--namespace", "118",
                    "--start", "2026-03-01", "--end", "2026-04-01T00:00:00Z", "--all-participant-edits")
    campaign = Campaign.objects.get(slug="spring-2026")
    assert campaign.hashtags == ["citenlm", "wikimed"]
    assert (campaign.wikis, campaign.namespaces) == (["enwiki", "eswiki"], [0, 118])
    assert campaign.start == datetime(2026, 3, 1, tzinfo=UTC)
    assert campaign.credit_mode == Campaign.CreditMode.ALL_PARTICIPANT_EDITS
    assert output == (
        "created spring-2026: #citenlm #wikimed on enwiki, eswiki, 2026-03-01 00:00 to 2026-04-01 00:00 UTC\n"
    )


def test_a_time_zone_is_converted_to_utc():
    create("fall", "--name", "Fall", "--hashtag", "CiteNLM", "--start", "2026-09-01T00:00-04:00",
           "--end", "2026-10-01T00:00-04:00")
    assert Campaign.objects.get().start == datetime(2026, 9, 1, 4, tzinfo=UTC)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "2026-04-01", "--end", "2026-03-01"], "The end of the period must be after its start."),
        (["--start", "yesterday", "--end", "2026-03-01"], "--start 'yesterday' is not an ISO 8601 date"),
    ],
)
def test_errors_are_one_line_and_create_nothing(args, message):
    with pytest.raises(CommandError) as raised:
        create("bad", "--name", "Bad", "--hashtag", "CiteNLM", *args)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)
    assert not Campaign.objects.exists()


def test_a_duplicate_slug_is_an_error():
    create("dup", "--name", "One", "--hashtag", "CiteNLM", "--start", "2026-03-01", "--end", "2026-04-01")
    with pytest.raises(CommandError, match=r"A campaign with this slug already exists\."):
        create("dup", "--name", "Two", "--hashtag", "CiteNLM", "--start", "2026-03-01", "--end", "2026-04-01")
    assert Campaign.objects.count() == 1


def test_an_invalid_hashtag_is_an_error():
    with pytest.raises(CommandError, match=r"A hashtag cannot be empty\."):
        create("x", "--name", "X", "--hashtag", "#", "--start", "2026-03-01", "--end", "2026-04-01")
    with pytest.raises(CommandError, match="“two words” is not a hashtag"):
        create("x", "--name", "X", "--hashtag", "two words", "--start", "2026-03-01", "--end", "2026-04-01")
    assert not Campaign.objects.exists()
