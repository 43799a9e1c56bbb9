"""Staff create and edit campaigns on the site: the tracker's campaign (``campaign_create``/``campaign_update``)
and the page's own settings (live session, organizer's guide, what is public)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from crowdsci.campaigns.errors import CampaignsError
from crowdsci.campaigns.models import Campaign, CampaignPage
from crowdsci.campaigns.selectors.access import user_manages_campaigns
from crowdsci.campaigns.services.campaigns import campaign_create, campaign_update
from crowdsci.catalog.models import Guide
from crowdsci.core.audit import audit_record
from crowdsci.core.errors import full_clean_or_raise

# Addresses under /campaigns/ that are pages, not campaigns.
RESERVED_SLUGS = frozenset({"new", "status"})


def campaign_save(
    *,
    actor: AbstractBaseUser,
    campaign: Campaign | None,
    name: str,
    slug: str,
    hashtags: Iterable[str],
    wikis: Iterable[str],
    namespaces: Iterable[int],
    start: datetime,
    end: datetime,
    credit_mode: str,
    theme: str = "",
    description: str = "",
    live_session_start: datetime | None = None,
    live_session_end: datetime | None = None,
    live_session_url: str = "",
    organizers_guide: Guide | None = None,
    show_map: bool = True,
    show_leaderboards: bool = True,
) -> Campaign:
    """Create (``campaign`` None) or change a campaign and its page, staff only. Two transactions in turn: the
    campaign's, then the page's; a page error leaves the campaign saved with its previous page settings."""
    if not user_manages_campaigns(actor):
        raise CampaignsError(_("Only network staff create and edit campaigns."))
    if campaign is None and slug.strip() in RESERVED_SLUGS:
        raise CampaignsError(_("“%(slug)s” is the address of another page; choose another slug.") % {"slug": slug})
    hashtags = list(hashtags)
    rules = {"name": name, "hashtags": hashtags, "wikis": wikis, "namespaces": namespaces, "start": start,
             "end": end, "credit_mode": credit_mode, "theme": theme, "description": description}
    if campaign is None:
        campaign = campaign_create(actor=actor, slug=slug, **rules)
    else:
        campaign = campaign_update(actor=actor, campaign=campaign, **rules)
    written = [tag.strip().lstrip("#＃") for tag in hashtags if tag.strip().lstrip("#＃")]
    campaign_page_update(
        actor=actor, campaign=campaign, hashtag_as_written=written[0] if written else "",
        live_session_start=live_session_start, live_session_end=live_session_end, live_session_url=live_session_url,
        organizers_guide=organizers_guide, show_map=show_map, show_leaderboards=show_leaderboards,
    )
    return campaign


@transaction.atomic(durable=True)
def campaign_page_update(
    *,
    actor: AbstractBaseUser,
    campaign: Campaign,
    live_session_start: datetime | None,
    live_session_end: datetime | None,
    live_session_url: str,
    organizers_guide: Guide | None,
    show_map: bool,
    show_leaderboards: bool,
    hashtag_as_written: str = "",
) -> CampaignPage:
    if not user_manages_campaigns(actor):
        raise CampaignsError(_("Only network staff edit campaign pages."))
    page, _created = CampaignPage.objects.select_for_update().get_or_create(campaign=campaign)
    if (live_session_start is None) != (live_session_end is None):
        raise CampaignsError(_("Give both the start and the end of the live session, or neither."))
    page.live_session_start, page.live_session_end = live_session_start, live_session_end
    page.live_session_url = live_session_url.strip()
    page.organizers_guide = organizers_guide
    page.show_map, page.show_leaderboards = show_map, show_leaderboards
    if hashtag_as_written:
        page.hashtag_as_written = hashtag_as_written[:100]
    full_clean_or_raise(page, CampaignsError, messages={"__all__": _("The live session ends after it starts.")})
    page.save()
    audit_record(actor=actor, action="campaign_page.update", obj=page)
    return page
