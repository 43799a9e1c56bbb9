"""Registering for a campaign from the pages: the username is the one proven by signing in with Wikipedia, or
one typed in, checked against MediaWiki's rules and, when the API answers, for existence (else it is kept as
unverified and the scheduler's job asks again later).

Wikipedia is asked before the registration's transaction (the tracker's ``participant_join``) opens.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crowdsci.accounts.adapters import proven_wikipedia_username
from crowdsci.campaigns import usernames, wiki
from crowdsci.campaigns.errors import CampaignsError
from crowdsci.campaigns.models import Campaign, Participant, UsernameCheck
from crowdsci.campaigns.services.campaigns import participant_join, participant_leave
from crowdsci.core.audit import audit_record
from crowdsci.network.models import Organization
from crowdsci.wikimedia.errors import WikimediaError

RECHECK_BATCH = 50
RECHECK_AFTER = timedelta(minutes=30)


def username_exists(username: str, wiki_name: str = "enwiki") -> bool | None:
    """True or False as the Action API says; None when it cannot be reached."""
    try:
        with wiki.action_client(wiki_name) as client:
            return client.user_exists(username)
    except WikimediaError:
        return None


@transaction.atomic(durable=True)
def username_check_record(*, username: str, exists: bool | None) -> UsernameCheck:
    status = {True: UsernameCheck.Status.EXISTS, False: UsernameCheck.Status.MISSING,
              None: UsernameCheck.Status.UNVERIFIED}[exists]
    check, _created = UsernameCheck.objects.get_or_create(username=username)
    check.status = status
    check.checked_at = timezone.now()
    check.attempts += 1
    check.save()
    return check


def registration_create(
    *,
    user: AbstractBaseUser,
    campaign: Campaign,
    wikipedia_username: str,
    organization: Organization | None,
    display: str,
) -> Participant:
    """Register ``user``; a username proven by signing in with Wikipedia wins over the one typed in."""
    if not user.is_authenticated:
        raise CampaignsError(_("Sign in to register."))
    if timezone.now() >= campaign.end:
        raise CampaignsError(_("This campaign has ended."))
    proven = proven_wikipedia_username(user)
    username = proven or usernames.normalize(wikipedia_username)
    if not proven:
        problem = usernames.username_problem(username)
        if problem:
            raise CampaignsError(problem)
        exists = username_exists(username, (campaign.wikis or ["enwiki"])[0])
        if exists is False:
            raise CampaignsError(
                _("Wikipedia has no account named “%(name)s”. Check the spelling, or create the account first.")
                % {"name": username}
            )
        username_check_record(username=username, exists=exists)
    return participant_join(campaign=campaign, user=user, wikipedia_username=username,
                            organization=organization, display=display, actor=user)


def registration_leave(*, user: AbstractBaseUser, campaign: Campaign) -> Participant:
    participant = Participant.objects.filter(campaign=campaign, user=user, left__isnull=True).first()
    if participant is None:
        raise CampaignsError(_("You are not registered for this campaign."))
    return participant_leave(participant=participant, actor=user)


@transaction.atomic(durable=True)
def participant_display_update(
    *, user: AbstractBaseUser, campaign: Campaign, display: str, organization: Organization | None
) -> Participant:
    """How a participant is shown on public boards, and their organization for figures from now on."""
    participant = Participant.objects.select_for_update().filter(campaign=campaign, user=user).first()
    if participant is None:
        raise CampaignsError(_("You are not registered for this campaign."))
    if display not in Participant.Display.values:
        raise CampaignsError(_("Choose how you are shown."))
    participant.display = display
    participant.organization = organization
    participant.save(update_fields=["display", "organization"])
    audit_record(actor=user, action="participant.display", obj=participant, detail={"display": display})
    return participant


def usernames_recheck(*, limit: int = RECHECK_BATCH) -> int:
    """Ask the API again about usernames it could not confirm; returns how many got an answer."""
    due = list(
        UsernameCheck.objects.filter(status=UsernameCheck.Status.UNVERIFIED)
        .filter(checked_at__lte=timezone.now() - RECHECK_AFTER)
        .order_by("checked_at")
        .values_list("username", flat=True)[:limit]
    )
    if not due:
        return 0
    try:
        with wiki.action_client() as client:
            answers = client.users_exist(due)
    except WikimediaError:
        for username in due:
            username_check_record(username=username, exists=None)
        return 0
    for username in due:
        username_check_record(username=username, exists=answers.get(username))
    return len(due)


def wikipedia_sign_in_available(request) -> bool:
    """Whether a MediaWiki OAuth app is configured (the button is shown only then)."""
    from allauth.socialaccount.adapter import get_adapter

    return bool(get_adapter(request).list_apps(request, provider="mediawiki"))
