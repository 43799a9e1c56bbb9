"""Demo data for Citizen Science Month: last year's edition with reported events, the coming edition with approved
hosts in several regions, dated events with coordinates, registrations (one event full with a waitlist), and
featured projects. Everything is invented; project links are under example.org. Idempotent: rows are found by
their natural keys and left alone when present. Not to be called inside a transaction (services open their own).
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.utils import timezone

from crowdsci.catalog.models import Guide, Term
from crowdsci.events import services
from crowdsci.events.models import Edition, Event, FeaturedProject, Host
from crowdsci.network.models import Organization, RoleAssignment

PROJECTS = (
    (
        "backyard-bird-tally",
        "Backyard Bird Tally",
        "Count the birds you see in 15 minutes and share the tally.",
        "on_location",
        "15 minutes",
        5,
        None,
        ["stem"],
    ),
    (
        "water-watchers",
        "Water Watchers",
        "Test a local stream's clarity and temperature with simple tools.",
        "on_location",
        "1 hour",
        10,
        None,
        ["public-health", "stem"],
    ),
    (
        "cloud-classifiers",
        "Cloud Classifiers",
        "Photograph the sky and classify clouds to check satellite data.",
        "both",
        "10 minutes",
        8,
        None,
        ["stem"],
    ),
    (
        "sound-of-the-city",
        "Sound of the City",
        "Record noise levels with a phone to map quiet and loud places.",
        "both",
        "30 minutes",
        12,
        None,
        ["public-health"],
    ),
    (
        "old-weather-logs",
        "Old Weather Logs",
        "Transcribe historical ship logs to recover past weather online.",
        "online",
        "As long as you like",
        14,
        None,
        ["stem", "scholarly-communication"],
    ),
    (
        "pollinator-patrol",
        "Pollinator Patrol",
        "Watch a flower patch and note the pollinators that visit.",
        "on_location",
        "20 minutes",
        6,
        None,
        ["stem"],
    ),
)

# (organization name, title, day of April, start hour, hours, format, capacity, time zone, project slugs)
EVENTS = (
    (
        "Lowcountry Medical Library",
        "Bird count on the marsh",
        4,
        9,
        2,
        "in_person",
        6,
        "America/New_York",
        ["backyard-bird-tally"],
    ),
    (
        "Lowcountry Medical Library",
        "Cloud spotting for families",
        18,
        14,
        1.5,
        "hybrid",
        25,
        "America/New_York",
        ["cloud-classifiers"],
    ),
    (
        "Gulf Coast University Health Sciences Library",
        "Water testing at the bay",
        11,
        10,
        3,
        "in_person",
        20,
        "America/New_York",
        ["water-watchers"],
    ),
    (
        "Hill Country Public Library",
        "Pollinator walk",
        12,
        9,
        2,
        "in_person",
        15,
        "America/Chicago",
        ["pollinator-patrol"],
    ),
    (
        "Prairie State Medical Library",
        "Noise mapping downtown",
        19,
        13,
        2,
        "in_person",
        30,
        "America/Chicago",
        ["sound-of-the-city"],
    ),
    (
        "Wasatch Health Sciences Library",
        "Old weather transcribe-a-thon",
        22,
        18,
        2,
        "virtual",
        None,
        "America/Denver",
        ["old-weather-logs"],
    ),
    (
        "Central Valley Medical Library",
        "Citizen science fair",
        25,
        11,
        4,
        "in_person",
        80,
        "America/Los_Angeles",
        ["backyard-bird-tally", "water-watchers"],
    ),
    (
        "Hudson Valley Health Sciences Library",
        "Stream watch on the Hudson",
        26,
        10,
        2.5,
        "in_person",
        12,
        "America/New_York",
        ["water-watchers"],
    ),
    (
        "Harbor Point Health Sciences Library",
        "Clouds and climate talk",
        8,
        18,
        1,
        "virtual",
        100,
        "America/New_York",
        ["cloud-classifiers"],
    ),
)

REGISTRANTS = ("Amira Haddad", "Ben Ortiz", "Chen Wei", "Dana Kim", "Eli Nguyen", "Fatima Diallo", "Grace Park")


def _demo_edition_year() -> int:
    today = timezone.localdate()
    return today.year if today.month < 4 else today.year + 1


def _projects() -> None:
    topics = {term.slug: term for term in Term.objects.filter(category__slug="topics")}
    for slug, title, description, setting, time, age_min, age_max, topic_slugs in PROJECTS:
        if FeaturedProject.objects.filter(slug=slug).exists():
            continue
        project = FeaturedProject.objects.create(
            slug=slug,
            title=title,
            description=description,
            url=f"https://projects.example.org/{slug}",
            setting=setting,
            time_commitment=time,
            age_min=age_min,
            age_max=age_max,
            curated_by="SciStarter (demo)",
        )
        project.topics.set([topics[s] for s in topic_slugs if s in topics])


def _edition(year: int) -> Edition:
    edition = Edition.objects.filter(year=year).first()
    if edition is None:
        edition = services.edition_create(
            actor=None,
            year=year,
            signup_deadline=datetime.date(year, 3, 15),
            partner="SciStarter",
            partner_url="https://scistarter.org/",
            kit_contents="Facilitator's guide, activity cards, a water-testing strip set, bird-count sheets, stickers.",
            materials_guide=Guide.objects.filter(slug="citizen-science-at-your-library").first(),
        )
    return edition


def _approved_host(edition: Edition, organization: Organization) -> Host:
    host = Host.objects.filter(edition=edition, organization=organization).first()
    if host is None:
        host = services.host_signup(
            actor=None,
            edition=edition,
            organization=organization,
            contact_name="Demo Contact",
            contact_email=f"events@{organization.slug}.example.org",
            format="in_person",
            audiences=list(Term.objects.filter(category__slug="audiences", slug="public-libraries")),
            expected_attendance=30,
            interests=[],
            shipping_address=f"{organization.address}, {organization.city}",
            today=edition.signup_deadline,
        )
    if host.status == Host.Status.PENDING:
        host = services.host_review(actor=_staff(), host=host, approve=True)
        host = services.host_kit_update(
            actor=_staff(), host=host, kit_status="shipped", carrier="USPS", tracking_number=f"9400{host.pk:012d}"
        )
    return host


def _staff():
    return RoleAssignment.objects.filter(role="staff").select_related("user").first().user


def _events(edition: Edition, *, register: bool) -> None:
    projects = {project.slug: project for project in FeaturedProject.objects.all()}
    for name, title, day, hour, hours, format, capacity, zone, project_slugs in EVENTS:
        organization = Organization.objects.filter(name=name).first()
        if organization is None or Event.objects.filter(edition=edition, title=title).exists():
            continue
        host = _approved_host(edition, organization)
        starts_at = datetime.datetime(edition.year, 4, day, hour, tzinfo=zoneinfo.ZoneInfo(zone))
        event = services.event_create(
            actor=_staff(),
            host=host,
            fields=services.EventFields(
                title=title,
                description=f"{title}: a Citizen Science Month activity for all ages. Bring a phone.",
                starts_at=starts_at,
                ends_at=starts_at + datetime.timedelta(hours=hours),
                timezone=zone,
                format=format,
                jurisdiction=organization.jurisdiction,
                venue=organization.name,
                address=organization.address,
                city=organization.city if format != "virtual" else "",
                virtual_url="https://meet.example.org/" + title.lower().replace(" ", "-")
                if format != "in_person"
                else "",
                capacity=capacity,
                accessibility_notes="Step-free entrance; seating available.",
                projects=[projects[s] for s in project_slugs if s in projects],
            ),
        )
        if not register or event.starts_at <= timezone.now():
            continue
        # The first event fills up: six places, then a waitlist of two.
        count = 8 if capacity == 6 else 3
        for index, person in enumerate(REGISTRANTS[:count]):
            services.registration_create(
                event_id=event.pk,
                name=f"{person} (demo)",
                email=f"{person.split()[0].lower()}@example.org",
                party_size=2 if index == 0 and capacity == 6 else 1,
                join_waitlist=True,
            )


def _report_past(edition: Edition) -> None:
    for index, event in enumerate(Event.objects.filter(edition=edition, attendance__isnull=True)):
        if event.starts_at < timezone.now() and not event.is_cancelled:
            services.event_report(actor=_staff(), event=event, attendance=12 + 7 * index, notes="Demo report.")


def load_demo_events() -> None:
    _projects()
    year = _demo_edition_year()
    past = _edition(year - 1)
    _events(past, register=False)
    _report_past(past)
    _events(_edition(year), register=True)
