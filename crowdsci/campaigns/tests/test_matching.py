"""What counts: hashtag cases, wiki, namespace, type, bot, the period's edges, participants who leave, and one
edit in two campaigns."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crowdsci.campaigns.models import Campaign
from crowdsci.campaigns.services.campaigns import participant_join, participant_leave
from crowdsci.campaigns.tracking.matching import EditFacts, load_rules
from crowdsci.network.tests.factories import make_organization, make_user

from .conftest import END, IN_PERIOD, START, make_campaign

pytestmark = pytest.mark.django_db


def facts(**overrides) -> EditFacts:
    values = {"wiki": "enwiki", "type": "edit", "namespace": 0, "revid": 1, "user": "Alice Editor", "bot": False,
              "timestamp": IN_PERIOD, "comment": "source added #CiteNLM"}
    values.update(overrides)
    return EditFacts(**values)


def matched(campaign: Campaign, **overrides) -> list[str]:
    return [m.matched_by for m in load_rules().match(facts(**overrides)) if m.campaign_id == campaign.pk]


@pytest.mark.parametrize(
    ("comment", "counts"),
    [
        ("source added #CiteNLM", True),
        ("#citenlm", True),
        ("#CITENLM: PubMed refs", True),
        ("full-width sign ＃CiteNLM", True),
        ("(#CiteNLM)", True),
        ("#CiteNLM2021", False),
        ("abc#CiteNLM", False),
        ("see [[WP:X#CiteNLM]]", False),
        ("CiteNLM without a sign", False),
        ("", False),
    ],
)
def test_hashtag_cases(comment, counts):
    campaign = make_campaign()
    assert matched(campaign, comment=comment) == (["hashtag"] if counts else [])


def test_wiki_namespace_type_and_bot():
    campaign = make_campaign(wikis=["enwiki", "eswiki"], namespaces=[0, 118])
    assert matched(campaign, wiki="eswiki") == ["hashtag"]
    assert matched(campaign, wiki="dewiki") == []
    assert matched(campaign, namespace=118) == ["hashtag"]
    assert matched(campaign, namespace=1) == []
    assert matched(campaign, type="new") == ["hashtag"]
    assert matched(campaign, type="log") == []
    assert matched(campaign, type="categorize") == []
    assert matched(campaign, bot=True) == []
    assert matched(campaign, revid=None) == []


def test_the_period_includes_its_start_and_excludes_its_end():
    campaign = make_campaign()
    assert matched(campaign, timestamp=START) == ["hashtag"]
    assert matched(campaign, timestamp=START - timedelta(seconds=1)) == []
    assert matched(campaign, timestamp=END - timedelta(seconds=1)) == ["hashtag"]
    assert matched(campaign, timestamp=END) == []


def test_all_participant_edits_count_only_while_registered():
    campaign = make_campaign(credit_mode=Campaign.CreditMode.ALL_PARTICIPANT_EDITS)
    organization = make_organization(state="MD")
    participant = participant_join(campaign=campaign, user=make_user("alice"), wikipedia_username="alice_Editor",
                                   organization=organization, at=START + timedelta(days=2))
    untagged = {"comment": "copyedit"}
    assert matched(campaign, timestamp=START + timedelta(days=1), **untagged) == []
    [match] = load_rules().match(facts(timestamp=START + timedelta(days=3), **untagged))
    assert (match.matched_by, match.registration.participant_id) == ("participant", participant.pk)
    assert match.registration.organization_id == organization.pk
    assert match.registration.region_id == organization.jurisdiction.region_id
    assert matched(campaign, user="Somebody Else", **untagged) == []
    participant_leave(participant=participant, at=START + timedelta(days=5))
    assert matched(campaign, timestamp=START + timedelta(days=4), **untagged) == ["participant"]
    assert matched(campaign, timestamp=START + timedelta(days=5), **untagged) == []
    # A hashtag edit still counts after leaving, but is no longer attributed to the registration.
    [after] = load_rules().match(facts(timestamp=START + timedelta(days=6)))
    assert (after.matched_by, after.registration) == ("hashtag", None)


def test_a_hashtag_only_campaign_ignores_untagged_participant_edits():
    campaign = make_campaign()
    participant_join(campaign=campaign, user=make_user("bob"), wikipedia_username="Bob", at=START)
    assert matched(campaign, user="Bob", comment="copyedit") == []
    [match] = load_rules().match(facts(user="Bob"))
    assert match.registration is not None


def test_one_edit_counts_for_two_campaigns_and_each_uses_its_own_tags():
    first = make_campaign(hashtags=["CiteNLM"])
    second = make_campaign(hashtags=["#CiteNLM", "WikiMed"])
    third = make_campaign(hashtags=["Other"])
    rules = load_rules()
    ids = {m.campaign_id for m in rules.match(facts(comment="#CiteNLM"))}
    assert ids == {first.pk, second.pk}
    assert {m.campaign_id for m in rules.match(facts(comment="#wikimed"))} == {second.pk}
    assert third.pk not in ids
