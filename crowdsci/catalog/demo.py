"""Demo content: one short guide for every entry of the taxonomy, so every browse page has something.

The guides are written for this project. They describe what a guide on the subject would help a library do and
state no fact about a real organization beyond ../shared/program.md; the DOCLINE and Public Health Collections
guides describe those services and link out to them (crowdsci does not route loans). ``load_demo_catalog`` is
idempotent: it creates what is missing and leaves existing guides alone.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from crowdsci.catalog.models import Guide, Term
from crowdsci.catalog.services import guide_create
from crowdsci.catalog.taxonomy_data import ensure_taxonomy

REGION_MEMBERS = {
    1: "Delaware, Kentucky, Maryland, New Jersey, North Carolina, Pennsylvania, Virginia, West Virginia and the "
    "District of Columbia",
    2: "Alabama, Florida, Georgia, Mississippi, South Carolina, Tennessee, Puerto Rico and the U.S. Virgin Islands",
    3: "Arkansas, Kansas, Louisiana, Missouri, Nebraska, Oklahoma and Texas",
    4: "Arizona, Idaho, Colorado, Montana, New Mexico, North Dakota, South Dakota, Utah and Wyoming",
    5: "Alaska, California, Hawaii, Nevada, Oregon, Washington, and the U.S. territories and freely associated "
    "states in the Pacific (American Samoa, Guam, the Northern Mariana Islands, Micronesia, the Marshall Islands "
    "and Palau)",
    6: "Illinois, Indiana, Iowa, Michigan, Minnesota, Ohio and Wisconsin",
    7: "Connecticut, Massachusetts, Maine, New Hampshire, New York, Rhode Island and Vermont",
}

# entry slug -> (title, summary, body paragraphs, extra entries as (category slug, entry slug))
GUIDES: dict[tuple[str, str], tuple[str, str, list[str], list[tuple[str, str]]]] = {
    ("membership", "benefits"): (
        "Membership benefits at a glance",
        "What joining the network offers a library or organization, and where to read more.",
        [
            "Membership connects a library or organization with the network's regional staff, its training and "
            "its programs. This guide gathers the benefits described on this site in one place.",
            "Each region's coordinators can answer questions about membership in their states and territories.",
        ],
        [("audiences", "public-libraries"), ("audiences", "academic-libraries")],
    ),
    ("membership", "member-tools"): (
        "Member tools and services",
        "The tools on this site that members use: the directory, program sign-ups and guides.",
        [
            "Members appear in the member directory, can host citizen-science events and edit-a-thons, and can "
            "request program kits. This guide points to each of those pages.",
        ],
        [("audiences", "information-professionals")],
    ),
    ("funding", "proposal-writing"): (
        "Getting help with a proposal",
        "How to plan a proposal and whom to ask for feedback before you submit it.",
        [
            "A strong proposal states a need, a plan, a budget and how you will know the project worked. Ask "
            "your regional coordinators early: they can tell you whether an idea fits and how to describe it.",
            "## Before you write\n\n- Read the whole call for proposals.\n- List partners and their roles.\n"
            "- Draft the evaluation plan with the activities, not after them.",
        ],
        [("audiences", "community-organizations"), ("topics", "public-health")],
    ),
    ("funding", "funding-tools"): (
        "Funding tools and templates",
        "Where to find funding guides, frequently asked questions, templates and tutorials for applications "
        "and activity reports.",
        [
            "Funded projects have paperwork at both ends: the application and the activity reports. This guide "
            "collects the kinds of material that help with each, and explains what an activity report asks for.",
        ],
        [("audiences", "public-libraries")],
    ),
    ("training", "class-resources"): (
        "Class resources",
        "Slides, handouts and exercises that go with the network's classes.",
        [
            "Class materials let participants review what they learned and let instructors reuse the exercises "
            "in their own sessions. Check each item's license before you adapt it.",
        ],
        [("audiences", "information-professionals")],
    ),
    ("training", "nlm-resources"): (
        "Learning NLM resources",
        "A starting point for training on PubMed, MedlinePlus and other National Library of Medicine resources.",
        [
            "The National Library of Medicine publishes many free resources, among them PubMed, PubMed Central, "
            "MedlinePlus, the NCBI Bookshelf, ClinicalTrials.gov and DailyMed. This guide suggests an order in "
            "which to learn them, starting with the one your patrons ask about most.",
        ],
        [("topics", "consumer-health"), ("audiences", "health-sciences-libraries")],
    ),
    ("training", "specializations"): (
        "Continuing-education specializations",
        "How a series of classes can add up to a specialization in an area of health information work.",
        [
            "A specialization groups related classes so that you can build skills in one area step by step. "
            "Keep a record of the classes you complete and the hours each one counts for.",
        ],
        [("audiences", "information-professionals")],
    ),
    ("topics", "all-of-us"): (
        "The All of Us partnership and libraries",
        "How libraries take part in the All of Us partnership, including the Test the Waters kits.",
        [
            "The network's All of Us partnership brings health and science programs to libraries. One of them "
            "is the Test the Waters citizen-science kit, a loanable water-testing kit that libraries can request.",
        ],
        [("audiences", "public-libraries"), ("topics", "citizen-science")],
    ),
    ("topics", "citizen-science"): (
        "Citizen science at your library",
        "Ways a library can host citizen-science activities: Citizen Science Month in April, kits and projects.",
        [
            "Citizen science invites the public to take part in research. Every April, Citizen Science Month "
            "helps libraries host an event: sign up, receive a program kit, register the event and run it.",
            "Featured projects give you ready-made activities to choose from.",
        ],
        [("audiences", "public-libraries"), ("audiences", "k12-educators"), ("topics", "stem")],
    ),
    ("topics", "consumer-health"): (
        "Answering consumer health questions",
        "Good practice for helping the public find reliable health information, starting with MedlinePlus.",
        [
            "People bring health questions to every kind of library. Listen first, point to reliable sources "
            "such as MedlinePlus, and remember that the library gives information, not medical advice.",
        ],
        [("audiences", "public-libraries"), ("topics", "health-literacy")],
    ),
    ("topics", "data-science"): (
        "Data science and data management basics",
        "An introduction to managing, documenting and sharing research data for library staff.",
        [
            "Data management starts before data exist: plan where files live, how they are named and described, "
            "and who may use them. This guide introduces data management plans and the questions to ask.",
        ],
        [("audiences", "data-scientists"), ("audiences", "researchers"), ("audiences", "academic-libraries")],
    ),
    ("topics", "dei"): (
        "Diversity, equity and inclusion in health information services",
        "Questions to ask about who your services reach and who they miss.",
        [
            "Inclusive services start with knowing your community. This guide suggests ways to review "
            "collections, programs and outreach so that more people can use them.",
        ],
        [("audiences", "community-organizations"), ("audiences", "public-libraries")],
    ),
    ("topics", "disaster-preparedness"): (
        "Disaster and emergency preparedness for libraries",
        "How a library plans for emergencies and helps its community find information during one.",
        [
            "A plan written before an emergency saves time during it: contacts, priorities for the collection, "
            "and how to keep serving the public. Libraries are also places people turn to for information.",
        ],
        [("audiences", "public-libraries"), ("audiences", "public-health-professionals")],
    ),
    ("topics", "graphic-medicine"): (
        "Graphic medicine collections and programs",
        "Comics about health and care: building a collection and hosting a reading group.",
        [
            "Graphic medicine uses comics to tell stories about illness, care and health. This guide suggests how "
            "to start a small collection and use it in book clubs and classes.",
        ],
        [("audiences", "public-libraries"), ("audiences", "college-educators")],
    ),
    ("topics", "health-literacy"): (
        "Health literacy for public libraries",
        "Plain language, teach-back and easy-to-read sources: helping patrons use health information.",
        [
            "Health literacy is about people being able to find, understand and use health information. Library "
            "staff can help by using plain language, checking understanding and choosing easy-to-read sources.",
            "## Try this\n\n1. Rewrite one handout in plain language.\n2. Ask a colleague to explain it back.\n"
            "3. Revise what was unclear.",
        ],
        [("audiences", "public-libraries"), ("audiences", "healthcare-providers")],
    ),
    ("topics", "hiv-aids"): (
        "HIV/AIDS information resources",
        "Finding current, reliable information about HIV and AIDS for patrons and partners.",
        [
            "Information about HIV prevention and treatment changes as research advances. Prefer sources that "
            "show when they were last reviewed, and work with local health organizations on outreach.",
        ],
        [("audiences", "community-organizations"), ("audiences", "public-health-professionals")],
    ),
    ("topics", "student-engagement"): (
        "Engaging students in health information work",
        "Ideas for involving college and post-graduate students in library health projects.",
        [
            "Students bring energy and new skills. Projects such as Wikipedia edit-a-thons let them practice "
            "finding and citing reliable sources while improving articles many people read.",
        ],
        [("audiences", "college-students"), ("audiences", "academic-libraries")],
    ),
    ("topics", "public-health"): (
        "Public health information for libraries",
        "How libraries support public health work in their communities.",
        [
            "Public health is about the health of whole communities. Libraries help by sharing reliable "
            "information, hosting programs and partnering with local public health departments.",
        ],
        [("audiences", "public-health-professionals"), ("audiences", "public-libraries")],
    ),
    ("topics", "stem"): (
        "STEM programs in libraries",
        "Hands-on science, technology, engineering and mathematics activities for all ages.",
        [
            "STEM programs turn the library into a place to try things. Citizen-science kits and projects are one "
            "way in: participants collect real data and learn how research works.",
        ],
        [("audiences", "k12-educators"), ("audiences", "k12-students")],
    ),
    ("topics", "substance-use"): (
        "Substance use disorder and NIH HEAL",
        "Finding reliable information about substance use disorder and the NIH HEAL Initiative.",
        [
            "Substance use disorder affects many communities. This guide suggests reliable sources to start from "
            "and ways to talk about the subject without stigma.",
        ],
        [("audiences", "public-health-professionals"), ("audiences", "healthcare-providers")],
    ),
    ("topics", "scholarly-communication"): (
        "Scholarly communication",
        "Publishing, sharing and citing research: open access, preprints and public access policies.",
        [
            "Scholarly communication covers how research is published, shared and cited. Librarians help "
            "researchers choose where to publish and how to make their work openly available.",
        ],
        [("audiences", "researchers"), ("audiences", "academic-libraries")],
    ),
    ("resource-sharing", "docline"): (
        "DOCLINE: interlibrary loan requests",
        "What DOCLINE is, who uses it and where to go to use it.",
        [
            "DOCLINE is the National Library of Medicine's system for routing interlibrary-loan requests between "
            "libraries. Requests are made and answered in DOCLINE itself; this site does not route loans.",
            "This guide describes the service and links to it. Questions about an account or a request go to "
            "DOCLINE's own help pages.",
        ],
        [("audiences", "health-sciences-libraries")],
    ),
    ("resource-sharing", "public-health-collections"): (
        "Public Health Collections",
        "The network's Public Health Digital Library: what it is and how to reach it.",
        [
            "Public Health Collections is the network's Public Health Digital Library. It is a separate service; "
            "this guide describes it and links out to it.",
        ],
        [("audiences", "public-health-professionals"), ("topics", "public-health")],
    ),
}
AUDIENCE_GUIDE = (
    "Resources for {name}",
    "A starting list of the network's guides and programs that fit {name}.",
    [
        "This page gathers what the catalog holds for {name}. Use the filters to narrow the list by topic and "
        "region, or search for a subject.",
    ],
)
LINKS = {
    "docline": [("DOCLINE at the National Library of Medicine", "https://www.nlm.nih.gov/docline/")],
    "public-health-collections": [("The network's website", "https://www.nnlm.gov/")],
    "nlm-resources": [("National Library of Medicine", "https://www.nlm.nih.gov/")],
    "consumer-health": [("MedlinePlus", "https://medlineplus.gov/")],
}


def _guide_specs() -> list[tuple[str, str, str, str, list[tuple[str, str]]]]:
    """(slug, title, summary, body, entries) for every entry of the taxonomy."""
    specs = []
    terms = Term.objects.select_related("category", "region").order_by("category__position", "position")
    for term in terms:
        key = (term.category.slug, term.slug)
        entries = [key]
        if key in GUIDES:
            title, summary, paragraphs, extra = GUIDES[key]
            entries += extra
        elif term.category.slug == "audiences":
            title_template, summary_template, paragraph_templates = AUDIENCE_GUIDE
            title = title_template.format(name=term.name)
            summary = summary_template.format(name=term.name)
            paragraphs = [p.format(name=term.name) for p in paragraph_templates]
        elif term.region is not None:
            number = term.region.number
            title = f"Working with Region {number}"
            summary = f"Guides, contacts and programs for libraries in Region {number}."
            members = REGION_MEMBERS.get(number, "")
            paragraphs = [
                f"Region {number} of the network serves members in {members}." if members else "",
                "Use the filters on this page to find guides for this region by topic and audience, and the "
                "member directory to find member organizations.",
            ]
            entries += [("audiences", "public-libraries")]
        else:
            title = term.name
            summary = term.description or f"About {term.name}."
            paragraphs = [summary]
        body = "\n\n".join(p for p in paragraphs if p)
        specs.append((slugify(title)[:200], title, summary, body, entries))
    return specs


def load_demo_catalog() -> None:
    """Create the taxonomy if missing and one published guide per entry (idempotent)."""
    with transaction.atomic():
        ensure_taxonomy()
    terms = {(t.category.slug, t.slug): t for t in Term.objects.select_related("category")}
    existing = set(Guide.objects.values_list("slug", flat=True))
    today = timezone.localdate()
    for index, (slug, title, summary, body, entries) in enumerate(_guide_specs()):
        if slug in existing:
            continue
        own_entry = entries[0][1]
        guide_create(
            actor=None,
            title=title,
            slug=slug,
            summary=summary,
            body=body,
            status=Guide.Status.PUBLISHED,
            # Spread review dates so the "needs review" list has something in a demo.
            last_reviewed=today - datetime.timedelta(days=30 * (index % 16)),
            terms=[terms[key] for key in entries if key in terms],
            links=LINKS.get(own_entry, []),
        )
