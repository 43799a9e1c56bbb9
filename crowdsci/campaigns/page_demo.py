"""Demo data of the campaign pages, on top of the tracker's demo campaign: its live session, a worklist of
genetics articles and a hosted event by the demo organizer. Idempotent; uses the services (call it outside a
transaction), after ``crowdsci.campaigns.demo.load_demo_campaign``."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model

from crowdsci.campaigns.models import Campaign, CampaignPage, HostedEvent, Worklist
from crowdsci.campaigns.services import events, worklists
from crowdsci.campaigns.services.pages import campaign_page_update

DEMO_WORKLIST_TITLES = (
    "CRISPR gene editing", "Gene therapy", "Genetic testing", "Sickle cell disease", "Cystic fibrosis",
    "Huntington's disease", "BRCA1", "Pharmacogenomics", "Newborn screening", "Down syndrome",
)


def load_demo_pages(slug: str) -> None:
    campaign = Campaign.objects.filter(slug=slug).first()
    staff = get_user_model().objects.filter(username="demo-staff").first()
    organizer = get_user_model().objects.filter(username="demo-organizer").first()
    if campaign is None or staff is None or organizer is None:
        return
    if not CampaignPage.objects.filter(campaign=campaign).exists():
        session = (campaign.end - timedelta(days=1)).replace(hour=17, minute=0, second=0, microsecond=0)
        campaign_page_update(
            actor=staff, campaign=campaign, live_session_start=session, live_session_end=session + timedelta(hours=2),
            live_session_url="https://meet.example.org/citenlm-demo", organizers_guide=None, show_map=True,
            show_leaderboards=True, hashtag_as_written="CiteNLM",
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
