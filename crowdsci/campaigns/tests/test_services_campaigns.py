"""Creating campaigns and registering participants: the rules, the errors, the audit rows."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crowdsci.campaigns.errors import CampaignsError
from crowdsci.campaigns.models import Campaign, Participant
from crowdsci.campaigns.services.campaigns import (
    campaign_update,
    hashtags_normalize,
    participant_join,
    participant_leave,
)
from crowdsci.core.models import AuditEntry
from crowdsci.network.tests.factories import make_user

from .conftest import END, START, make_campaign

pytestmark = pytest.mark.django_db


def test_hashtags_are_stored_without_their_sign_and_casefolded():
    assert hashtags_normalize(["#CiteNLM", "＃WikiMed", "citenlm", "Cite-NLM"]) == ["citenlm", "wikimed", "cite-nlm"]


@pytest.mark.parametrize("bad", [[""], ["#"], ["two words"], ["#2021"], ["a--b"], [], ["#tag!"]])
def test_an_empty_or_invalid_hashtag_is_refused(bad):
    with pytest.raises(CampaignsError):
        make_campaign(hashtags=bad)
    assert not Campaign.objects.exists()


def test_create_defaults_and_audit():
    campaign = make_campaign(slug="spring-2026", hashtags=["#CiteNLM"])
    assert (campaign.hashtags, campaign.wikis, campaign.namespaces) == (["citenlm"], ["enwiki"], [0])
    assert campaign.credit_mode == Campaign.CreditMode.HASHTAG
    assert AuditEntry.objects.filter(action="campaign.create", object_id=str(campaign.pk)).exists()


def test_duplicate_slug_and_bad_periods_are_refused():
    make_campaign(slug="spring-2026")
    with pytest.raises(CampaignsError, match="slug already exists"):
        make_campaign(slug="spring-2026")
    with pytest.raises(CampaignsError, match="after its start"):
        make_campaign(start=END, end=START)
    with pytest.raises(CampaignsError, match="after its start"):
        make_campaign(start=START, end=START)
    with pytest.raises(CampaignsError, match="wiki database name"):
        make_campaign(wikis=["en.wikipedia.org"])
    assert Campaign.objects.count() == 1


def test_update_keeps_the_rules():
    campaign = make_campaign()
    campaign = campaign_update(actor=None, campaign=campaign, name="Spring 2026", hashtags=["CiteNLM", "NLM"],
                               start=START, end=END + timedelta(days=1), wikis=["enwiki"], namespaces=[0],
                               credit_mode=Campaign.CreditMode.HASHTAG)
    assert campaign.hashtags == ["citenlm", "nlm"]
    with pytest.raises(CampaignsError):
        campaign_update(actor=None, campaign=campaign, name="x", hashtags=[], start=START, end=END,
                        wikis=["enwiki"], namespaces=[0], credit_mode=Campaign.CreditMode.HASHTAG)


def test_join_leave_and_rejoin():
    campaign = make_campaign()
    user = make_user("alice")
    participant = participant_join(campaign=campaign, user=user, wikipedia_username="alice_editor", at=START)
    assert participant.wikipedia_username == "Alice editor"
    with pytest.raises(CampaignsError, match="already registered"):
        participant_join(campaign=campaign, user=user, wikipedia_username="Alice editor")
    with pytest.raises(CampaignsError, match="already registered"):
        participant_join(campaign=campaign, user=make_user("mallory"), wikipedia_username="Alice_editor")
    with pytest.raises(CampaignsError, match="before it began"):
        participant_leave(participant=participant, at=START - timedelta(days=1))
    participant_leave(participant=participant, at=START + timedelta(days=3))
    with pytest.raises(CampaignsError, match="already ended"):
        participant_leave(participant=participant)
    again = participant_join(campaign=campaign, user=user, wikipedia_username="Alice editor",
                             at=START + timedelta(days=5))
    assert (again.pk, again.left, again.joined) == (participant.pk, None, START + timedelta(days=5))
    assert Participant.objects.count() == 1
    actions = list(AuditEntry.objects.filter(object_type="campaigns.participant").values_list("action", flat=True))
    assert sorted(actions) == ["participant.join", "participant.leave", "participant.rejoin"]
