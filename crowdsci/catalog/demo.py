"""Demo content: one short guide for every entry of the taxonomy, so every browse page has something.

The guides are written for this project. They describe what a guide on the subject would help a library do and
state no fact about a real organization beyond ../shared/program.md; the DOCLINE and Public Health Collections
guides describe those services and link out to them (crowdsci does not route loans); the NLM resource guides
(PubMed, PMC, MedlinePlus, Bookshelf, ClinicalTrials.gov, DailyMed, citing them on Wikipedia) carry real links.
``load_demo_catalog`` is idempotent: it creates what is missing and leaves existing guides alone.
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


# The National Library of Medicine resources a librarian in the network uses every week, each with its real address:
# (slug, title, summary, body, entries, links). The last two (the Citizen Science Month partner and the national
# site) are not NLM's and are filed under Topics › Citizen Science.
NLM_RESOURCES = ("training", "nlm-resources")
NLM_RESOURCE_GUIDES: list[tuple[str, str, str, str, list[tuple[str, str]], list[tuple[str, str]]]] = [
    (
        "pubmed-searching-the-biomedical-literature",
        "PubMed: searching the biomedical literature",
        "Over 37 million citations to journal articles, searchable free; how to get good results quickly.",
        "PubMed indexes the biomedical and life-sciences literature, mostly from MEDLINE, with links to full text "
        "where it exists. Start with plain words: PubMed maps them to Medical Subject Headings (MeSH) for you. "
        "Then narrow with the filters (article type, publication date, free full text) and use *Best match* or "
        "*Most recent* ordering. The *Cite* button gives a citation in several styles, and a free My NCBI account "
        "saves searches and emails new results.",
        [NLM_RESOURCES],
        [
            ("PubMed", "https://pubmed.ncbi.nlm.nih.gov/"),
            ("PubMed User Guide", "https://pubmed.ncbi.nlm.nih.gov/help/"),
        ],
    ),
    (
        "pmc-free-full-text-articles",
        "PMC: free full-text articles",
        "PubMed Central, NLM's archive of free full-text journal articles, and how it differs from PubMed.",
        "PMC holds the full text of millions of articles, including those from research funded by NIH, which must "
        "be deposited there. Where PubMed gives a citation and abstract, PMC gives the whole article, free to read. "
        "Search it directly, or in PubMed choose the *Free full text* filter and follow the PMC link.",
        [NLM_RESOURCES],
        [("PubMed Central (PMC)", "https://www.ncbi.nlm.nih.gov/pmc/")],
    ),
    (
        "medlineplus-health-information-for-the-public",
        "MedlinePlus: health information for the public",
        "Reliable, readable health information in English and Spanish, without advertising.",
        "MedlinePlus covers health topics, medicines and supplements, medical tests and genetics, written for "
        "patients and families and reviewed by NLM. Many topics have easy-to-read pages and material in other "
        "languages. It is the first place to send a patron with a health question, and its pages can be linked "
        "from a library's own site.",
        [NLM_RESOURCES, ("resource-sharing", "public-health-collections")],
        [("MedlinePlus", "https://medlineplus.gov/"), ("MedlinePlus en español", "https://medlineplus.gov/spanish/")],
    ),
    (
        "ncbi-bookshelf-books-and-reports",
        "NCBI Bookshelf: books and reports online",
        "Free full text of textbooks, clinical reviews and health-technology reports.",
        "Bookshelf gives free access to books and documents in the life sciences and health care: textbooks, "
        "GeneReviews, systematic reviews and reports from government agencies. Search within a book or across all "
        "of them; chapters link to the PubMed records they cite.",
        [NLM_RESOURCES],
        [("NCBI Bookshelf", "https://www.ncbi.nlm.nih.gov/books/")],
    ),
    (
        "clinicaltrials-gov-finding-a-study",
        "ClinicalTrials.gov: finding a clinical study",
        "The registry of clinical studies run around the world, and how to help a patron search it.",
        "ClinicalTrials.gov lists publicly and privately funded clinical studies, with their conditions, "
        "locations, eligibility and, for many, their results. Search by condition and place, then read the "
        "eligibility criteria together; remind patrons to discuss any study with their health-care provider.",
        [NLM_RESOURCES],
        [("ClinicalTrials.gov", "https://clinicaltrials.gov/")],
    ),
    (
        "dailymed-drug-labels",
        "DailyMed: drug labels",
        "The official labels (package inserts) of medicines marketed in the United States.",
        "DailyMed publishes the labeling submitted to the Food and Drug Administration: indications, dosage, "
        "warnings and the patient information leaflet. Search by brand or generic name; for plain-language "
        "information about a medicine, pair it with MedlinePlus's drug pages.",
        [NLM_RESOURCES],
        [("DailyMed", "https://dailymed.nlm.nih.gov/dailymed/")],
    ),
    (
        "citing-nlm-sources-on-wikipedia",
        "Citing NLM sources on Wikipedia (#CiteNLM)",
        "How to add a citation to a Wikipedia health article and tag the edit for a #CiteNLM edit-a-thon.",
        "Find a statement that needs a source, look it up in PubMed, PMC or MedlinePlus, and cite it in "
        "Wikipedia's style (the *Cite* tool in the editor fills the template from a PMID or DOI). Put #CiteNLM in "
        "the edit summary so the campaign counts your edit. Wikipedia's guidelines on reliable medical sources "
        "explain which sources are preferred.",
        [NLM_RESOURCES],
        [
            (
                "Wikipedia: Identifying reliable sources (medicine)",
                "https://en.wikipedia.org/wiki/Wikipedia:Identifying_reliable_sources_(medicine)",
            ),
            ("Help: Referencing for beginners", "https://en.wikipedia.org/wiki/Help:Referencing_for_beginners"),
        ],
    ),
    (
        "scistarter-finding-a-project-to-join",
        "SciStarter: finding a project to join",
        "The project finder of the network's Citizen Science Month partner, and how to use it with patrons.",
        "SciStarter lists thousands of research projects that anyone can join, searchable by topic, age, place and "
        "whether they run online or outdoors. A free account records the projects a patron joins and the time they "
        "contribute. Libraries use it to pick activities for a program: filter for projects that need no special "
        "equipment, try the project yourself first, and note how the data is shared with the researchers.",
        [("topics", "citizen-science")],
        [("SciStarter", "https://scistarter.org/"), ("SciStarter project finder", "https://scistarter.org/finder")],
    ),
    (
        "citizensciencemonth-org-april-events",
        "CitizenScienceMonth.org: April's events and resources",
        "The national site of Citizen Science Month: events to join or list, and materials for organizers.",
        "Every April, CitizenScienceMonth.org gathers events, webinars and projects from partners across the "
        "country. Organizers can list their own event there and find promotional material and activity ideas; "
        "the public can browse what is happening near them. Network libraries that host an event register it on "
        "our own Citizen Science Month pages as well, so it shows on the network's calendar and map.",
        [("topics", "citizen-science")],
        [("Citizen Science Month", "https://citizensciencemonth.org/")],
    ),
]


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
    for slug, title, summary, body, extra, links in NLM_RESOURCE_GUIDES:
        if slug in existing:
            continue
        guide_create(
            actor=None,
            title=title,
            slug=slug,
            summary=summary,
            body=body,
            status=Guide.Status.PUBLISHED,
            last_reviewed=today - datetime.timedelta(days=20),
            terms=[terms[key] for key in extra if key in terms],
            links=links,
        )
