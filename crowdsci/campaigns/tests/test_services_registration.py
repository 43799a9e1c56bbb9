"""Registration from the pages: proven usernames, typed usernames checked against the API (or kept unverified
and re-checked later), leaving, and the display choice."""

from __future__ import annotations

import pytest
from allauth.socialaccount.models import SocialAccount
from django.utils import timezone

from crowdsci.campaigns.errors import CampaignsError
from crowdsci.campaigns.models import Participant, UsernameCheck
from crowdsci.campaigns.services import registration
from crowdsci.campaigns.tests.page_factories import make_campaign
from crowdsci.network.tests.factories import make_user

pytestmark = pytest.mark.django_db


def register(user, campaign, username="Randy Kryn", display=Participant.Display.USERNAME):
    return registration.registration_create(user=user, campaign=campaign, wikipedia_username=username,
                                            organization=None, display=display)


def test_a_username_that_exists_on_wikipedia_registers(fake_wikimedia):
    participant = register(make_user(), make_campaign(), "randy_Kryn".replace("r", "R", 1))
    assert participant.wikipedia_username == "Randy Kryn"
    assert UsernameCheck.objects.get(username="Randy Kryn").status == UsernameCheck.Status.EXISTS


def test_a_username_wikipedia_does_not_know_is_refused(fake_wikimedia):
    with pytest.raises(CampaignsError, match="no account named"):
        register(make_user(), make_campaign(), "Nobody By This Name 123")
    assert not Participant.objects.exists()


def test_a_username_breaking_the_rules_is_refused_before_asking(fake_wikimedia):
    with pytest.raises(CampaignsError, match="cannot contain"):
        register(make_user(), make_campaign(), "Bad|Name")
    assert not any("ususers" in query for _m, _p, query, _h in fake_wikimedia.requests)


def test_when_wikipedia_is_unreachable_the_username_is_kept_unverified_and_checked_later(
    wikimedia_unreachable, settings, fake_wikimedia_data
):
    participant = register(make_user(), make_campaign(), "Randy Kryn")
    check = UsernameCheck.objects.get(username="Randy Kryn")
    assert participant.pk and check.status == UsernameCheck.Status.UNVERIFIED

    from crowdsci.wikimedia.fake import FakeWikimedia

    UsernameCheck.objects.update(checked_at=timezone.now() - registration.RECHECK_AFTER)
    with FakeWikimedia(fake_wikimedia_data) as server:
        settings.WIKIMEDIA_API_URL = server.api_url
        assert registration.usernames_recheck() == 1
    assert UsernameCheck.objects.get(username="Randy Kryn").status == UsernameCheck.Status.EXISTS


def test_a_username_proven_by_signing_in_with_wikipedia_wins_and_needs_no_check(wikimedia_unreachable):
    user = make_user()
    SocialAccount.objects.create(user=user, provider="mediawiki", uid="1", extra_data={"username": "Proven Name"})
    participant = register(user, make_campaign(), "Something Else")
    assert participant.wikipedia_username == "Proven Name"
    assert not UsernameCheck.objects.exists()


def test_leaving_ends_the_registration_and_registering_again_rejoins(fake_wikimedia):
    user, campaign = make_user(), make_campaign()
    register(user, campaign)
    left = registration.registration_leave(user=user, campaign=campaign)
    assert left.left is not None
    with pytest.raises(CampaignsError):
        registration.registration_leave(user=user, campaign=campaign)
    again = register(user, campaign)
    assert again.pk == left.pk and again.left is None


def test_an_ended_campaign_takes_no_registration(fake_wikimedia):
    now = timezone.now()
    campaign = make_campaign(start=now - timezone.timedelta(days=40), end=now - timezone.timedelta(days=1))
    with pytest.raises(CampaignsError, match="ended"):
        register(make_user(), campaign)


def test_the_display_choice_can_change(fake_wikimedia):
    user, campaign = make_user(), make_campaign()
    register(user, campaign)
    registration.participant_display_update(user=user, campaign=campaign, display=Participant.Display.ANONYMOUS,
                                            organization=None)
    assert Participant.objects.get().display == Participant.Display.ANONYMOUS
