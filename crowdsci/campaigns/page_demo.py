"""Demo data of the campaign pages, on top of the tracker's demo campaign: its live session, a worklist of
genetics articles and a hosted event by the demo organizer, and registrations for the demo's editors.
Idempotent; uses the services (call it outside a transaction), after ``crowdsci.campaigns.demo.load_demo_campaign``
(which calls ``register_demo_participants`` before it loads the edits, so they are attributed as they match).

The registrations are invented: the editors are real Wikipedia users whose real CRISPR edits the demo replays, but
they never registered for a #CiteNLM campaign. The accounts are demo accounts (``demo-editor-…@example.org``,
no password), their display names say "(demo)", and the mix of display choices shows what each one does on the
boards, the feed and the exports. The four IP editors stay unregistered walk-ins: their tagged edits count for
the campaign, as an unregistered editor's do.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from crowdsci.campaigns.models import Campaign, CampaignPage, HostedEvent, MapPin, Participant, Worklist
from crowdsci.campaigns.services import events, worklists
from crowdsci.campaigns.services.campaigns import campaign_create, participant_join
from crowdsci.campaigns.services.map import map_pin_set
from crowdsci.campaigns.services.pages import campaign_page_update
from crowdsci.catalog.models import Guide

DEMO_WORKLIST_TITLES = (
    "CRISPR gene editing", "Gene therapy", "Genetic testing", "Sickle cell disease", "Cystic fibrosis",
    "Huntington's disease", "BRCA1", "Pharmacogenomics", "Newborn screening", "Down syndrome",
)

Display = Participant.Display
# (Wikipedia username, display choice, the demo account's display name, organization, pin on the map)
DEMO_PARTICIPANTS: tuple[tuple[str, str, str, str | None, bool], ...] = (
    ("Jytdog", Display.USERNAME, "", "Harbor Point Health Sciences Library", True),
    ("David Biddulph", Display.DISPLAY_NAME, "D. Biddulph (demo)", None, False),
    ("Boghog", Display.USERNAME, "", "Lowcountry Medical Library", True),
    ("Tyree999", Display.DISPLAY_NAME, "Tyree, health sciences librarian (demo)",
     "Gulf Coast University Health Sciences Library", True),
    ("Zchen16", Display.ANONYMOUS, "", "Pacific Coast University Biomedical Library", True),
    ("Ian.thomson", Display.ANONYMOUS, "", None, False),
    ("Headbomb", Display.USERNAME, "", None, False),
    ("Graham Beards", Display.USERNAME, "", "Great Lakes University Health Sciences Library", False),
    ("Ajpolino", Display.DISPLAY_NAME, "A. Polino (demo)", None, False),
)


def _demo_account(username: str, display_name: str):
    from crowdsci.network.services import profile_ensure, profile_update

    slug = "".join(character if character.isalnum() else "-" for character in username.lower()).strip("-")
    account = f"demo-editor-{slug}"
    user, created = get_user_model().objects.get_or_create(username=account,
                                                           defaults={"email": f"{account}@example.org"})
    if created:
        user.set_unusable_password()  # a name on the boards, not a login
        user.save(update_fields=["password"])
    profile = profile_ensure(user=user)
    if display_name and profile.display_name != display_name:
        profile_update(user=user, display_name=display_name, organization=profile.organization,
                       wikipedia_username=profile.wikipedia_username, preferred_language=profile.preferred_language)
    return user


def register_demo_participants(campaign: Campaign) -> None:
    """Register the demo's named editors from the campaign's start (idempotent), some with a pin on the map."""
    from crowdsci.network.models import Organization

    for username, display, display_name, organization_name, pinned in DEMO_PARTICIPANTS:
        organization = Organization.objects.filter(name=organization_name).first() if organization_name else None
        user = _demo_account(username, display_name)
        if not Participant.objects.filter(campaign=campaign, wikipedia_username=username).exists():
            participant_join(campaign=campaign, user=user, wikipedia_username=username, organization=organization,
                             display=display, at=campaign.start)
        if pinned and organization is not None and organization.latitude is not None and not MapPin.objects.filter(
            participant__campaign=campaign, participant__user=user
        ).exists():
            map_pin_set(user=user, campaign=campaign, latitude=organization.latitude,
                        longitude=organization.longitude, place=organization.city)


def load_demo_pages(slug: str) -> None:
    campaign = Campaign.objects.filter(slug=slug).first()
    staff = get_user_model().objects.filter(username="demo-staff").first()
    organizer = get_user_model().objects.filter(username="demo-organizer").first()
    if campaign is None or staff is None or organizer is None:
        return
    register_demo_participants(campaign)  # already done before the edits on a fresh load; a no-op then
    if not CampaignPage.objects.filter(campaign=campaign).exists():
        session = (campaign.end - timedelta(days=1)).replace(hour=17, minute=0, second=0, microsecond=0)
        campaign_page_update(
            actor=staff, campaign=campaign, live_session_start=session, live_session_end=session + timedelta(hours=2),
            live_session_url="https://meet.example.org/citenlm-demo", organizers_guide=_organizers_guide(),
            show_map=True, show_leaderboards=True, hashtag_as_written="CiteNLM",
        )
    if not Worklist.objects.filter(campaign=campaign, name="Genetics articles").exists():
        worklist = worklists.worklist_create(actor=organizer, campaign=campaign, name="Genetics articles",
                                             description="Articles on the theme that need NLM sources.")
        worklists.worklist_add_titles(actor=organizer, worklist=worklist, titles=DEMO_WORKLIST_TITLES)
    if not HostedEvent.objects.filter(campaign=campaign).exists():
        start = (campaign.start + timedelta(days=7)).replace(hour=18, minute=0, second=0, microsecond=0)
        events.hosted_event_create(
            actor=organizer, campaign=campaign, title="Lowcountry #CiteNLM evening", start=start,
            end=start + timedelta(hours=2), time_zone="America/New_York", mode=HostedEvent.Mode.IN_PERSON,
            address="Lowcountry Medical Library, reading room", capacity=20,
            description="Bring a laptop; we will add MedlinePlus and PubMed citations together.",
        )


def next_season(today: date) -> tuple[str, date, date]:
    """The next #CiteNLM season that has not started by ``today``: Spring (March) or Fall (November), as the
    network runs them; (name, first day, day after the last)."""
    for year in (today.year, today.year + 1):
        for name, month, days in (("Spring", 3, 31), ("Fall", 11, 30)):
            first = date(year, month, 1)
            if first > today:
                return f"{name} {year}", first, first + timedelta(days=days)
    raise AssertionError("unreachable")


def load_demo_upcoming_campaign() -> Campaign | None:
    """An announced campaign that has not started (no edits yet), so the home page and /campaigns/ show the next
    one with its dates and live session, whenever the demo is loaded. Created once; never moved afterwards."""
    staff = get_user_model().objects.filter(username="demo-staff").first()
    if staff is None:
        return None
    season, first, after = next_season(timezone.localdate())
    slug = "citenlm-" + season.lower().replace(" ", "-")
    campaign = Campaign.objects.filter(slug=slug).first()
    if campaign is not None:
        return campaign
    eastern = ZoneInfo("America/New_York")
    start = datetime(first.year, first.month, first.day, tzinfo=eastern).astimezone(UTC)
    end = datetime(after.year, after.month, after.day, tzinfo=eastern).astimezone(UTC)
    campaign = campaign_create(
        actor=staff, name=f"#CiteNLM {season}", slug=slug, theme="Healthy aging",
        description="Cite NLM sources (MedlinePlus, PubMed, NCBI Bookshelf) in articles on healthy aging: "
                    "falls, hearing and vision, memory, nutrition and exercise in later life.",
        hashtags=["CiteNLM"], start=start, end=end,
    )
    last_day = after - timedelta(days=1)
    while last_day.weekday() != 2:  # the live session: the campaign's last Wednesday, 1–3 PM Eastern
        last_day -= timedelta(days=1)
    session = datetime(last_day.year, last_day.month, last_day.day, 13, tzinfo=eastern)
    campaign_page_update(
        actor=staff, campaign=campaign, live_session_start=session, live_session_end=session + timedelta(hours=2),
        live_session_url="https://meet.example.org/citenlm-demo", organizers_guide=_organizers_guide(),
        show_map=True, show_leaderboards=True, hashtag_as_written="CiteNLM",
    )
    return campaign


def _organizers_guide() -> Guide | None:
    """The catalog demo's guide to hosting an edit-a-thon: the Organizer's Guide the campaign pages link to."""
    return Guide.objects.filter(title__startswith="Hosting a #CiteNLM edit-a-thon").first()
