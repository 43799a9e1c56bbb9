# ruff: noqa: E501 -- the guide texts keep one sentence-run per line.
"""Demo content: hand-written guides to the resources a librarian in the network actually uses.

Every guide is about a real resource and links to its real address: the National Library of Medicine's (PubMed,
PMC, MedlinePlus, NCBI Bookshelf, ClinicalTrials.gov, DailyMed, DOCLINE), the network's Public Health Digital
Library, Wikipedia's editing guides for #CiteNLM, SciStarter and CitizenScienceMonth.org, and the federal and
professional sites a reference desk relies on for the catalog's topics. Each guide is filed only under the entries
it really serves: there is no filler guide per entry, so an entry with nothing honest to show keeps its empty state.
A guide carries a region only when its subject is regional (hurricanes, wildfire smoke, extreme heat and cold,
rural and Tribal health, NLM's reading room in Bethesda).

``load_demo_catalog`` is idempotent: it creates what is missing and leaves existing guides alone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from crowdsci.catalog.models import Guide, Term
from crowdsci.catalog.services import guide_create
from crowdsci.catalog.taxonomy_data import ensure_taxonomy


@dataclass(frozen=True)
class DemoGuide:
    title: str
    summary: str
    body: str
    # "category:entry" slugs, as in taxonomy_data.TAXONOMY.
    terms: tuple[str, ...]
    links: tuple[tuple[str, str], ...]
    slug: str = ""

    @property
    def key(self) -> str:
        return self.slug or slugify(self.title)[:200]


DEMO_GUIDES: list[DemoGuide] = [
    # --- The National Library of Medicine's resources -----------------------------------------------------------
    DemoGuide(
        "PubMed: searching the biomedical literature",
        "More than 37 million citations to journal articles, free to search; how to get good results quickly.",
        "PubMed indexes the biomedical and life-sciences literature, mostly from MEDLINE, with links to full text "
        "where it exists. Start with plain words: PubMed maps them to Medical Subject Headings (MeSH) for you, and "
        "the *Search details* box under *Advanced* shows what it actually searched. Then narrow with the filters "
        "(article type, publication date, free full text) and switch between *Best match* and *Most recent*.\n\n"
        "The *Cite* button gives a citation in several styles, and a free My NCBI account saves searches and emails "
        "new results, which is the easiest way to keep a clinician or researcher up to date on a subject.",
        ("training:nlm-resources", "audiences:health-sciences-libraries", "audiences:academic-libraries",
         "audiences:researchers", "audiences:healthcare-providers", "audiences:college-students"),
        (("PubMed", "https://pubmed.ncbi.nlm.nih.gov/"), ("PubMed User Guide", "https://pubmed.ncbi.nlm.nih.gov/help/")),
    ),
    DemoGuide(
        "PMC: free full-text articles",
        "PubMed Central, NLM's archive of free full-text journal articles, and how it differs from PubMed.",
        "PMC holds the full text of millions of articles, including the accepted manuscripts of research funded by "
        "NIH, which authors must deposit there under the NIH Public Access Policy. Where PubMed gives a citation and "
        "abstract, PMC gives the whole article, free to read, with its figures and references.\n\n"
        "Search it directly, or in PubMed choose the *Free full text* filter and follow the PMC link. For a patron "
        "without a subscription this is often the fastest legal route to an article; check the article's license "
        "before reusing figures in a handout or a course.",
        ("training:nlm-resources", "topics:scholarly-communication", "audiences:researchers",
         "audiences:academic-libraries", "audiences:college-students"),
        (("PubMed Central (PMC)", "https://pmc.ncbi.nlm.nih.gov/"),),
    ),
    DemoGuide(
        "MedlinePlus: health information for the public",
        "Reliable, readable health information in English and Spanish, without advertising.",
        "MedlinePlus covers health topics, medicines and supplements, medical tests and genetics, written for "
        "patients and families and reviewed by NLM. It carries no advertising and endorses no company, which makes "
        "it the first place to send a patron with a health question. Many topics have easy-to-read pages, and the "
        "*Health Information in Multiple Languages* collection offers handouts in dozens of languages.\n\n"
        "Its pages can be linked from a library's own site, and its health-topic pages are a good checklist when "
        "building a consumer-health collection.",
        ("topics:consumer-health", "training:nlm-resources", "topics:health-literacy", "audiences:public-libraries",
         "audiences:healthcare-providers", "audiences:community-organizations"),
        (("MedlinePlus", "https://medlineplus.gov/"), ("MedlinePlus en español", "https://medlineplus.gov/spanish/"),
         ("Health Information in Multiple Languages", "https://medlineplus.gov/languages/languages.html")),
    ),
    DemoGuide(
        "NCBI Bookshelf: books and reports online",
        "Free full text of textbooks, clinical reviews and health-technology reports.",
        "Bookshelf gives free access to books and documents in the life sciences and health care: textbooks, "
        "GeneReviews for genetic conditions, StatPearls review chapters, systematic reviews and reports from "
        "government agencies. Search within one book or across all of them; chapters link to the PubMed records "
        "they cite, and each book shows how it may be reused.\n\n"
        "For a student who needs background before reading the research literature, a Bookshelf chapter is often a "
        "better first stop than a journal article.",
        ("training:nlm-resources", "audiences:health-sciences-libraries", "audiences:college-students",
         "audiences:college-educators", "audiences:healthcare-providers"),
        (("NCBI Bookshelf", "https://www.ncbi.nlm.nih.gov/books/"),),
    ),
    DemoGuide(
        "ClinicalTrials.gov: finding a clinical study",
        "The registry of clinical studies run around the world, and how to help a patron search it.",
        "ClinicalTrials.gov lists publicly and privately funded clinical studies, with their conditions, "
        "locations, eligibility criteria, contacts and, for many, their results. Search by condition and place, "
        "filter for studies that are recruiting, then read the eligibility criteria together.\n\n"
        "A librarian finds and explains; the decision belongs to the patron and their health-care provider, so "
        "suggest they print the study record and take it to their next appointment. Researchers use the same "
        "registry to check what has already been studied before planning a trial.",
        ("training:nlm-resources", "topics:consumer-health", "audiences:public-libraries",
         "audiences:healthcare-providers", "audiences:researchers"),
        (("ClinicalTrials.gov", "https://clinicaltrials.gov/"),),
    ),
    DemoGuide(
        "DailyMed: drug labels",
        "The official labels (package inserts) of medicines marketed in the United States.",
        "DailyMed publishes the labeling that manufacturers submit to the Food and Drug Administration: "
        "indications, dosage, warnings, interactions and the patient information leaflet. Search by brand or "
        "generic name; each label shows its version and date, so you can tell a patron which one they are "
        "reading, and older versions stay available.\n\n"
        "The labels are written for prescribers. For plain-language information about the same medicine, pair "
        "DailyMed with MedlinePlus's drug pages.",
        ("training:nlm-resources", "topics:consumer-health", "audiences:healthcare-providers",
         "audiences:health-sciences-libraries", "audiences:public-libraries"),
        (("DailyMed", "https://dailymed.nlm.nih.gov/dailymed/"),
         ("MedlinePlus: Drugs, Herbs and Supplements", "https://medlineplus.gov/druginformation.html")),
    ),
    DemoGuide(
        "NLM's historical collections and Digital Collections",
        "Historical books, manuscripts, images and films from the world's largest biomedical library, online and in Bethesda.",
        "The National Library of Medicine, on the NIH campus in Bethesda, Maryland, holds one of the world's "
        "largest collections of historical medical books, manuscripts, prints, photographs and films. Much of it is "
        "free online in NLM Digital Collections, searchable by subject and date and mostly in the public domain.\n\n"
        "Teachers use it for primary sources on epidemics, public health campaigns and the history of nursing; "
        "libraries in the region can bring a class to see originals. Check the History of Medicine pages for "
        "reading-room hours and how to request items before a visit.",
        ("training:nlm-resources", "regions:region-1", "audiences:college-educators", "audiences:k12-educators",
         "audiences:researchers", "audiences:academic-libraries"),
        (("NLM Digital Collections", "https://collections.nlm.nih.gov/"),
         ("History of Medicine at NLM", "https://www.nlm.nih.gov/hmd/")),
    ),
    DemoGuide(
        "NLM data for developers: E-utilities, the ClinicalTrials.gov API and UMLS",
        "Programmatic access to PubMed, ClinicalTrials.gov and NLM's vocabularies, and the rules that come with it.",
        "The Entrez Programming Utilities (E-utilities) search and fetch PubMed and the other NCBI databases from a "
        "script: ESearch finds record identifiers, EFetch and ESummary return the records. Without an API key a "
        "program may send three requests a second; a free key from a My NCBI account raises that to ten.\n\n"
        "ClinicalTrials.gov has its own REST API returning study records as JSON. The Unified Medical Language "
        "System (UMLS) links MeSH, SNOMED CT, RxNorm and many other vocabularies; it is free but needs a UMLS "
        "license account, because some of the source vocabularies carry their own terms.",
        ("topics:data-science", "training:nlm-resources", "audiences:data-tool-developers",
         "audiences:data-scientists", "audiences:researchers"),
        (("Entrez Programming Utilities Help", "https://www.ncbi.nlm.nih.gov/books/NBK25501/"),
         ("ClinicalTrials.gov API", "https://clinicaltrials.gov/data-api/api"),
         ("Unified Medical Language System (UMLS)", "https://www.nlm.nih.gov/research/umls/")),
    ),
    # --- Resource sharing and membership -------------------------------------------------------------------------
    DemoGuide(
        "DOCLINE: interlibrary loan requests",
        "What DOCLINE is, which libraries use it, and what a library sets up before its first request.",
        "DOCLINE is the National Library of Medicine's system for routing interlibrary-loan requests between "
        "health sciences libraries and health-related information centers across the United States. A library "
        "records its serial holdings and builds a routing table of the libraries it prefers to borrow from; a "
        "request, which can start from a PubMed citation, then moves down that table until a lender fills it.\n\n"
        "Requests are made and answered in DOCLINE itself; this site does not route loans. DOCLINE participation "
        "and network membership are separate: a library applies for each, and DOCLINE's own pages answer questions "
        "about an account or a request.",
        ("resource-sharing:docline", "membership:member-tools", "audiences:health-sciences-libraries",
         "audiences:academic-libraries"),
        (("DOCLINE", "https://docline.gov/"), ("DOCLINE at the National Library of Medicine", "https://www.nlm.nih.gov/docline/")),
    ),
    DemoGuide(
        "The Public Health Digital Library",
        "Journals, e-books and databases for staff of participating public health departments, with article delivery by a partner library.",
        "The Public Health Digital Library (PHDL) gives the staff of participating public health departments "
        "access to e-journals, e-books and databases chosen for public health practice and research, reached from "
        "the department's own intranet. It is run by the network's National Public Health Coordination Office with "
        "funding from the National Library of Medicine.\n\n"
        "A department joins as a whole, not staff member by member, and pays a yearly fee; smaller local health "
        "departments can join as a group. Each department is paired with a partner library that delivers articles "
        "the collection does not hold and helps with training.",
        ("resource-sharing:public-health-collections", "topics:public-health", "membership:member-tools",
         "audiences:public-health-professionals"),
        (("Public Health Digital Library: program overview", "https://nnlm.gov/nphco/about"),),
    ),
    DemoGuide(
        "Joining the network: who can be a member and what it costs",
        "Membership is free and open to any U.S. organization that provides access to health information.",
        "Membership is held by an organization, not a person, and it is free. Public libraries, community "
        "colleges, health departments, clinics, community-based organizations, associations and K-12 schools are "
        "all members; an organization does not need to be a library to join. Each member names a liaison, whose "
        "contact appears in the member directory, and reviews its record once a year.\n\n"
        "Members can apply for the network's funding and host its programs. Anyone, member or not, can create an "
        "account to take the network's classes. DOCLINE, the interlibrary-loan system, is applied for separately.",
        ("membership:benefits", "audiences:public-libraries", "audiences:community-organizations",
         "audiences:information-professionals", "audiences:k12-educators"),
        (("Membership FAQ", "https://www.nnlm.gov/membership/faq"),),
    ),
    # --- Wikipedia and #CiteNLM ----------------------------------------------------------------------------------
    DemoGuide(
        "Citing NLM sources on Wikipedia (#CiteNLM)",
        "How to add a citation to a Wikipedia health article and tag the edit for a #CiteNLM edit-a-thon.",
        "Find a statement that needs a source (articles flag them with *citation needed*), look it up in PubMed, "
        "PMC or MedlinePlus, and cite it in Wikipedia's style: the *Cite* tool in the editor fills in the template "
        "from a PMID or DOI. Put #CiteNLM in the edit summary so the campaign counts your edit.\n\n"
        "Wikipedia's guideline on reliable medical sources prefers recent reviews and major guidelines over single "
        "studies; a good edit cites one of those and states what it says, nothing more.",
        ("topics:student-engagement", "topics:scholarly-communication", "audiences:information-professionals",
         "audiences:health-sciences-libraries", "audiences:college-students"),
        (("Wikipedia: Identifying reliable sources (medicine)",
          "https://en.wikipedia.org/wiki/Wikipedia:Identifying_reliable_sources_(medicine)"),
         ("Help: Referencing for beginners", "https://en.wikipedia.org/wiki/Help:Referencing_for_beginners")),
    ),
    DemoGuide(
        "Your first Wikipedia edit: an account and a sandbox",
        "Creating a Wikipedia account and practising safely before a #CiteNLM editing session.",
        "Create the account a few days before an edit-a-thon: new accounts have a few limits at first, and a "
        "session is more fun when the login already works. Wikipedia's *Introduction* tutorials show the visual "
        "editor, and every account has a personal sandbox page for practice that nobody else's reader sees.\n\n"
        "Suggest participants choose a user name that is not an organization's name (Wikipedia's policy asks for "
        "a personal account) and read the short guide to referencing before the session starts.",
        ("topics:student-engagement", "audiences:college-students", "audiences:public-libraries",
         "audiences:information-professionals"),
        (("Help: Introduction to Wikipedia", "https://en.wikipedia.org/wiki/Help:Introduction"),
         ("Wikipedia: Username policy", "https://en.wikipedia.org/wiki/Wikipedia:Username_policy")),
    ),
    DemoGuide(
        "Hosting a #CiteNLM edit-a-thon at your institution",
        "Planning a local editing session during a campaign: room, accounts, a list of articles and the dashboard.",
        "A member institution can host its own edit-a-thon at any time during a campaign period. Book a room with "
        "good wireless access, ask participants to create Wikipedia accounts beforehand, and prepare a short list "
        "of articles on the campaign theme that need citations. Open with a twenty-minute demonstration of finding "
        "a source in PubMed or MedlinePlus and citing it.\n\n"
        "Participants register on the campaign dashboard so their edits are counted, and the hashtag in each edit "
        "summary lets everyone see the session's work afterwards. Wikipedia's own guide to running an editathon "
        "covers safe-space rules and what to do about new-account limits.",
        ("topics:student-engagement", "audiences:academic-libraries", "audiences:health-sciences-libraries",
         "audiences:college-educators", "audiences:public-libraries"),
        (("Wikipedia: How to run an edit-a-thon", "https://en.wikipedia.org/wiki/Wikipedia:How_to_run_an_edit-a-thon"),
         ("Programs & Events Dashboard", "https://outreachdashboard.wmflabs.org/"),
         ("Hashtags tool", "https://hashtags.wmcloud.org/")),
    ),
    DemoGuide(
        "Wikipedia assignments in college courses",
        "Students improve health articles as coursework: what Wiki Education offers instructors in the United States.",
        "Writing for Wikipedia teaches students to find reliable sources, summarize them neutrally and write for a "
        "general audience, and their work is read long after the term ends. Wiki Education supports instructors in "
        "the United States and Canada with free assignment templates, training modules for students and a "
        "dashboard to follow their edits.\n\n"
        "A librarian can help design the assignment, teach a session on PubMed and MedlinePlus, and point students "
        "to Wikipedia's medical sourcing guideline before they start.",
        ("topics:student-engagement", "audiences:college-educators", "audiences:college-students",
         "audiences:academic-libraries"),
        (("Wiki Education", "https://wikiedu.org/"),),
    ),
    # --- Citizen science -----------------------------------------------------------------------------------------
    DemoGuide(
        "Citizen science at your library",
        "Hosting a citizen-science program: choosing a project, running the session and sharing the data.",
        "Citizen science invites the public to take part in real research: counting birds, photographing plants, "
        "measuring water or rain, classifying images online. A library program works best around one project that "
        "needs no special equipment, that staff have tried first, and whose data goes back to the researchers.\n\n"
        "Every April, Citizen Science Month gives libraries a reason and a kit: sign up, receive the program kit "
        "with facilitation instructions, register the event and run it. CitizenScience.gov lists projects run by "
        "federal agencies, and iNaturalist suits an outdoor walk with any phone.",
        ("topics:citizen-science", "topics:stem", "audiences:public-libraries", "audiences:k12-educators",
         "audiences:community-organizations"),
        (("CitizenScience.gov", "https://www.citizenscience.gov/"), ("iNaturalist", "https://www.inaturalist.org/")),
        slug="citizen-science-at-your-library",
    ),
    DemoGuide(
        "SciStarter: finding a project to join",
        "The project finder of the network's Citizen Science Month partner, and how to use it with patrons.",
        "SciStarter lists thousands of research projects that anyone can join, searchable by topic, age, place and "
        "whether they run online or outdoors. A free account records the projects a patron joins and the time they "
        "contribute. Libraries use it to pick activities for a program: filter for projects that need no special "
        "equipment, try the project yourself first, and note how the data is shared with the researchers.",
        ("topics:citizen-science", "topics:stem", "audiences:public-libraries", "audiences:k12-students"),
        (("SciStarter", "https://scistarter.org/"), ("SciStarter project finder", "https://scistarter.org/finder")),
    ),
    DemoGuide(
        "CitizenScienceMonth.org: April's events and resources",
        "The national site of Citizen Science Month: events to join or list, and materials for organizers.",
        "Every April, CitizenScienceMonth.org gathers events, webinars and projects from partners across the "
        "country. Organizers can list their own event there and find promotional material and activity ideas; "
        "the public can browse what is happening near them. Network libraries that host an event register it on "
        "our own Citizen Science Month pages as well, so it shows on the network's calendar and map.",
        ("topics:citizen-science", "audiences:public-libraries", "audiences:community-organizations"),
        (("Citizen Science Month", "https://citizensciencemonth.org/"),),
    ),
    DemoGuide(
        "Science at home and in class for K-12: NIEHS Kids and GLOBE Observer",
        "Free environmental-health activities for children and a NASA app that turns a phone into a science instrument.",
        "The National Institute of Environmental Health Sciences' Kids pages explain how air, water and chemicals "
        "affect health, with experiments, games and lesson ideas that fit a library program or a science class. "
        "NASA's GLOBE Observer app asks students to photograph clouds, trees and mosquito habitats and send the "
        "observations to scientists, who compare them with satellite data.\n\n"
        "Both are free and need no account for teachers to preview; an afternoon program can pair one NIEHS "
        "experiment with a GLOBE cloud observation outside the library.",
        ("topics:stem", "topics:citizen-science", "audiences:k12-educators", "audiences:k12-students"),
        (("NIEHS Kids' Pages", "https://kids.niehs.nih.gov/"), ("GLOBE Observer", "https://observer.globe.gov/")),
    ),
    DemoGuide(
        "Lead in drinking water: what to tell a patron",
        "Where lead in tap water comes from, who is most at risk, and how to get water tested.",
        "Lead enters drinking water mostly from lead service lines, old solder and some fixtures, not from the "
        "treatment plant, so two houses on one street can differ. Young children and pregnant people are most at "
        "risk, and no level of lead in blood is known to be safe. A patron can ask their water utility whether "
        "their home has a lead service line and how to have the water tested.\n\n"
        "The Environmental Protection Agency's basic information page explains the steps a household can take "
        "meanwhile, such as running cold water before use and using a certified filter; it suits a water-testing "
        "program such as the network's Test the Waters kits.",
        ("topics:all-of-us", "topics:public-health", "topics:consumer-health", "audiences:public-libraries",
         "audiences:community-organizations"),
        (("EPA: Basic information about lead in drinking water",
          "https://www.epa.gov/ground-water-and-drinking-water/basic-information-about-lead-drinking-water"),),
    ),
    DemoGuide(
        "The All of Us Research Program",
        "NIH's effort to gather health data from one million or more people, and its open Data Browser.",
        "All of Us is an NIH research program building one of the most diverse health databases in history: "
        "participants across the United States share surveys, electronic health records, physical measurements "
        "and biosamples, and researchers use the de-identified data to study how health differs between people.\n\n"
        "Anyone can explore summary statistics in the public Data Browser without an account, which makes it a "
        "good example for a data-literacy class; registered researchers analyse the full data in the Researcher "
        "Workbench. Libraries in the network's All of Us partnership host programs on health and science.",
        ("topics:all-of-us", "topics:data-science", "audiences:researchers", "audiences:data-scientists",
         "audiences:public-libraries"),
        (("All of Us Research Program", "https://allofus.nih.gov/"),
         ("All of Us Data Browser", "https://databrowser.researchallofus.org/")),
    ),
    # --- Topics --------------------------------------------------------------------------------------------------
    DemoGuide(
        "Health literacy for public libraries",
        "Plain language, teach-back and easy-to-read sources: helping patrons use health information.",
        "Health literacy is about people being able to find, understand and use health information. Library "
        "staff can help by using plain language, checking understanding with teach-back (asking the patron to say "
        "in their own words what they will do), and choosing easy-to-read sources such as MedlinePlus's "
        "easy-to-read pages.\n\n"
        "The Agency for Healthcare Research and Quality's Health Literacy Universal Precautions Toolkit is written "
        "for clinics but its tools for plain-language handouts and teach-back transfer to the reference desk.\n\n"
        "## Try this\n\n1. Rewrite one handout in plain language.\n2. Ask a colleague to explain it back.\n"
        "3. Revise what was unclear.",
        ("topics:health-literacy", "topics:consumer-health", "audiences:public-libraries",
         "audiences:healthcare-providers"),
        (("MedlinePlus: Easy-to-read health information", "https://medlineplus.gov/all_easytoread.html"),
         ("AHRQ Health Literacy Universal Precautions Toolkit",
          "https://www.ahrq.gov/health-literacy/improve/precautions/index.html")),
    ),
    DemoGuide(
        "Evaluating health information online",
        "Who runs the site, who paid for it, how current it is: a short checklist to teach patrons and students.",
        "Most health questions start with a web search, so teaching people to judge a page is as useful as "
        "finding one. Ask who runs the site and why, where the information comes from, whether it was reviewed by "
        "experts, when it was last updated, and whether it is selling something.\n\n"
        "MedlinePlus's *Guide to Healthy Web Surfing* puts these questions in plain language, and its short "
        "evaluation tutorial works as a ten-minute activity in a class or a teen program.",
        ("topics:health-literacy", "topics:consumer-health", "audiences:public-libraries", "audiences:k12-educators",
         "audiences:college-students", "audiences:information-professionals"),
        (("MedlinePlus: Guide to Healthy Web Surfing", "https://medlineplus.gov/healthywebsurfing.html"),
         ("MedlinePlus: Evaluating Internet Health Information", "https://medlineplus.gov/webeval/intro1.html")),
    ),
    DemoGuide(
        "Health information in many languages",
        "Finding reviewed health handouts in a patron's language, and culturally and linguistically appropriate service.",
        "A patron who reads little English still deserves reliable material. NLM's HealthReach collects health "
        "information in many languages from organizations that serve refugees and immigrants, often with an "
        "English version side by side, and MedlinePlus lists its multilingual handouts by language.\n\n"
        "The Department of Health and Human Services' Think Cultural Health site explains the National CLAS "
        "Standards and offers free courses on culturally and linguistically appropriate services, useful when a "
        "library plans health programs with community partners.",
        ("topics:dei", "topics:consumer-health", "audiences:public-libraries", "audiences:community-organizations",
         "audiences:healthcare-providers"),
        (("HealthReach", "https://healthreach.nlm.nih.gov/"),
         ("MedlinePlus: Health Information in Multiple Languages", "https://medlineplus.gov/languages/languages.html"),
         ("Think Cultural Health", "https://thinkculturalhealth.hhs.gov/")),
    ),
    DemoGuide(
        "Health information with Tribal communities",
        "Federal and Tribal sources on American Indian and Alaska Native health, and the library association for Tribal libraries.",
        "The Indian Health Service provides health care to members of federally recognized Tribes and publishes "
        "information on its programs and facilities; many Tribes also run their own health services. The "
        "Association of Tribal Archives, Libraries, and Museums connects Tribal libraries and offers training.\n\n"
        "Outreach works best as a partnership on the community's terms: ask what information people want, credit "
        "Tribal sources, and involve Tribal librarians and health staff from the start.",
        ("topics:dei", "topics:public-health", "regions:region-3", "regions:region-4", "regions:region-5",
         "audiences:public-libraries", "audiences:community-organizations"),
        (("Indian Health Service", "https://www.ihs.gov/"),
         ("Association of Tribal Archives, Libraries, and Museums", "https://www.atalm.org/")),
    ),
    DemoGuide(
        "Rural and frontier health information",
        "The Rural Health Information Hub's topic guides and toolkits, and the association for rural and small libraries.",
        "In rural and frontier counties the library is often the nearest place with free internet, a printer and "
        "someone to ask. The Rural Health Information Hub, funded by the Federal Office of Rural Health Policy, "
        "publishes topic guides, state profiles, funding listings and community health toolkits with examples of "
        "programs that worked in small towns.\n\n"
        "The Association for Rural & Small Libraries (ARSL) shares program ideas and peer support; ARSL-affiliated "
        "libraries also have priority for the network's Test the Waters kits.",
        ("topics:public-health", "topics:consumer-health", "regions:region-3", "regions:region-4", "regions:region-5",
         "audiences:public-libraries", "audiences:community-organizations"),
        (("Rural Health Information Hub", "https://www.ruralhealthinfo.org/"),
         ("Association for Rural & Small Libraries", "https://www.arsl.org/")),
    ),
    DemoGuide(
        "HIV information: prevention, testing and treatment",
        "Current federal HIV/AIDS sources for patrons, clinicians and community partners, and where to find testing.",
        "HIV.gov explains prevention, testing and living with HIV in plain language, and its HIV Services Locator "
        "finds testing, PrEP and care near a ZIP code. Clinicalinfo.HIV.gov publishes the federal treatment and "
        "prevention guidelines that clinicians follow, and MedlinePlus summarizes the condition for the public.\n\n"
        "Treatment that keeps the virus undetectable also prevents sexual transmission; sharing that message, and "
        "local testing events, is a simple way for a library to support community partners.",
        ("topics:hiv-aids", "topics:public-health", "audiences:community-organizations",
         "audiences:public-health-professionals", "audiences:healthcare-providers", "audiences:public-libraries"),
        (("HIV.gov", "https://www.hiv.gov/"), ("HIV Services Locator", "https://locator.hiv.gov/"),
         ("Clinicalinfo.HIV.gov", "https://clinicalinfo.hiv.gov/")),
    ),
    DemoGuide(
        "Substance use disorder, treatment and the NIH HEAL Initiative",
        "Finding treatment, crisis lines and the research of NIH's initiative on addiction and pain.",
        "FindTreatment.gov, run by the Substance Abuse and Mental Health Services Administration, lists "
        "state-licensed treatment facilities by location, payment and type of care; 988 is the national number "
        "to call or text in a mental-health or substance-use crisis. The NIH HEAL (Helping to End Addiction "
        "Long-term) Initiative funds research on opioid use disorder and pain and publishes its findings.\n\n"
        "Talk about the subject without stigma (\"a person with a substance use disorder\", not \"an addict\"), "
        "and keep the crisis number where patrons can see it.",
        ("topics:substance-use", "topics:public-health", "audiences:public-libraries",
         "audiences:public-health-professionals", "audiences:healthcare-providers", "audiences:researchers"),
        (("FindTreatment.gov", "https://findtreatment.gov/"), ("988 Suicide & Crisis Lifeline", "https://988lifeline.org/"),
         ("NIH HEAL Initiative", "https://heal.nih.gov/")),
    ),
    DemoGuide(
        "Graphic medicine collections and reading groups",
        "Comics about illness and care: where to find titles and how to use them in a book club or a class.",
        "Graphic medicine uses comics to tell stories about illness, disability, caregiving and health care. Titles "
        "such as David Small's *Stitches* and Roz Chast's *Can't We Talk about Something More Pleasant?* open "
        "conversations that a pamphlet cannot, which is why health-sciences programs use them to teach empathy.\n\n"
        "The Graphic Medicine community site reviews new books and lists reading guides; start a collection with a "
        "handful of memoirs, then host a reading group with a clinician or a caregiver as guest.",
        ("topics:graphic-medicine", "topics:health-literacy", "audiences:public-libraries",
         "audiences:academic-libraries", "audiences:college-educators", "audiences:healthcare-providers"),
        (("Graphic Medicine", "https://www.graphicmedicine.org/"),),
    ),
    DemoGuide(
        "Managing and sharing research data: the NIH policy and DMPTool",
        "What NIH's Data Management and Sharing Policy asks of applicants, and a free tool to write the plan.",
        "Since January 2023, NIH expects every application for research that generates scientific data to include "
        "a Data Management and Sharing Plan: what data will be produced, how they will be described, where they "
        "will be deposited and when they will be shared. The NIH Scientific Data Sharing site explains the policy "
        "and lists suitable repositories.\n\n"
        "DMPTool offers templates for NIH and other funders, with guidance that a library can customize for its "
        "institution. Librarians help most by reviewing draft plans and suggesting a repository.",
        ("topics:data-science", "topics:scholarly-communication", "audiences:researchers", "audiences:data-scientists",
         "audiences:academic-libraries", "audiences:health-sciences-libraries"),
        (("NIH Scientific Data Sharing", "https://sharing.nih.gov/"), ("DMPTool", "https://dmptool.org/")),
    ),
    DemoGuide(
        "Open access and author identifiers for researchers",
        "ORCID, NIH manuscript submission and spotting questionable journals: help an author can use today.",
        "An ORCID identifier keeps a researcher's publications attached to them through name changes and moves, "
        "and many funders and journals ask for one. Authors of NIH-funded papers deposit their accepted manuscript "
        "through the NIH Manuscript Submission system, which sends it to PMC, and track compliance in My NCBI's My "
        "Bibliography.\n\n"
        "Before submitting to an unfamiliar journal, the Think. Check. Submit. checklist helps an author judge "
        "whether it is trustworthy.",
        ("topics:scholarly-communication", "audiences:researchers", "audiences:academic-libraries",
         "audiences:health-sciences-libraries", "audiences:college-educators"),
        (("ORCID", "https://orcid.org/"), ("NIH Manuscript Submission System", "https://www.nihms.nih.gov/"),
         ("Think. Check. Submit.", "https://thinkchecksubmit.org/")),
    ),
    DemoGuide(
        "Public health data for your community",
        "County-level health data, CDC WONDER and Healthy People 2030: evidence for a grant or a program plan.",
        "County Health Rankings & Roadmaps compares the health of nearly every U.S. county and links each measure "
        "to strategies that have worked elsewhere. CDC WONDER answers detailed questions about births, deaths and "
        "disease counts, and Healthy People 2030 sets the national objectives that many grants ask applicants to "
        "cite.\n\n"
        "Partners in Information Access for the Public Health Workforce (PHPartners), led by NLM with public health "
        "organizations, gathers these and other sources for health department staff.",
        ("topics:public-health", "topics:data-science", "audiences:public-health-professionals",
         "audiences:community-organizations", "audiences:researchers"),
        (("County Health Rankings & Roadmaps", "https://www.countyhealthrankings.org/"),
         ("CDC WONDER", "https://wonder.cdc.gov/"), ("Healthy People 2030", "https://odphp.health.gov/healthypeople"),
         ("PHPartners", "https://phpartners.org/")),
    ),
    # --- Disasters and the weather, by region ---------------------------------------------------------------------
    DemoGuide(
        "Emergency planning for libraries",
        "A written plan for the building and the collection, and the library's role for its community in an emergency.",
        "A plan written before an emergency saves hours during one: staff contacts and a phone tree, what to "
        "protect first in the collection, how to shut off water and power, and how to keep serving the public "
        "from another place. The Northeast Document Conservation Center's free dPlan tool walks through it.\n\n"
        "After a disaster, libraries are where people charge phones, file aid applications and look for reliable "
        "information, so agree with the local emergency manager in advance what the library can offer. Ready.gov "
        "has checklists to share with patrons.",
        ("topics:disaster-preparedness", "audiences:public-libraries", "audiences:health-sciences-libraries",
         "audiences:academic-libraries"),
        (("dPlan", "https://www.dplan.org/"), ("Ready.gov", "https://www.ready.gov/")),
    ),
    DemoGuide(
        "Hurricane season: preparing the library and its patrons",
        "From June to November on the Atlantic and Gulf coasts: forecasts, evacuation information and health after the storm.",
        "The Atlantic hurricane season runs from June 1 to November 30 and matters most to libraries from Texas "
        "and Louisiana along the Gulf to Florida, the Carolinas and Virginia, and in Puerto Rico and the U.S. "
        "Virgin Islands. The National Hurricane Center's forecasts and Ready.gov's hurricane page are the sources "
        "to post when a storm approaches.\n\n"
        "After the storm the health questions change: safe drinking water, mold, carbon monoxide from generators, "
        "and medicines lost or spoiled. Keep printed copies, since power and internet may be out.",
        ("topics:disaster-preparedness", "topics:public-health", "regions:region-1", "regions:region-2",
         "regions:region-3", "audiences:public-libraries", "audiences:community-organizations",
         "audiences:public-health-professionals"),
        (("National Hurricane Center", "https://www.nhc.noaa.gov/"), ("Ready.gov: Hurricanes", "https://www.ready.gov/hurricanes")),
    ),
    DemoGuide(
        "Wildfire smoke and health",
        "Air quality maps, who is most at risk, and the library as a clean-air space in the West.",
        "Wildfire smoke carries fine particles that reach deep into the lungs; people with asthma or heart "
        "disease, older adults, children and pregnant people are most at risk. AirNow's Fire and Smoke Map shows "
        "current air quality from monitors and low-cost sensors, and Ready.gov explains how to prepare a home.\n\n"
        "In the western states, some libraries open as clean-air spaces during smoke events, with portable HEPA "
        "air cleaners and the doors kept closed. Agree on it with the county health department before the season.",
        ("topics:disaster-preparedness", "topics:public-health", "regions:region-4", "regions:region-5",
         "audiences:public-libraries", "audiences:public-health-professionals"),
        (("AirNow Fire and Smoke Map", "https://fire.airnow.gov/"), ("Ready.gov: Wildfires", "https://www.ready.gov/wildfires")),
    ),
    DemoGuide(
        "Extreme heat and cold: the library as a cooling or warming center",
        "Heat waves in the South and Southwest, winter storms in the North: health information and opening as a shelter from the weather.",
        "Heat kills more people in the United States than any other weather, and the risk is highest for older "
        "adults, outdoor workers and people without air conditioning; in winter, cold and carbon monoxide from "
        "improvised heating are the dangers. Ready.gov's pages on extreme heat and winter weather list the warning "
        "signs to post.\n\n"
        "Many public libraries serve as cooling centers in Texas, Oklahoma and Arizona summers and as warming "
        "centers in Midwestern and New England winters; coordinate hours and announcements with the city or county.",
        ("topics:disaster-preparedness", "topics:public-health", "regions:region-3", "regions:region-4",
         "regions:region-6", "regions:region-7", "audiences:public-libraries", "audiences:community-organizations"),
        (("Ready.gov: Extreme Heat", "https://www.ready.gov/heat"),
         ("Ready.gov: Winter Weather", "https://www.ready.gov/winter-weather")),
    ),
    # --- Funding and training ------------------------------------------------------------------------------------
    DemoGuide(
        "Writing a project proposal: need, plan, budget, evaluation",
        "How reviewers read a proposal, and where to learn the vocabulary of federal grants.",
        "Reviewers look for four things: a need shown with evidence from your community, a plan with named "
        "partners and dates, a budget that matches the plan, and an evaluation that says how you will know it "
        "worked. Write the evaluation together with the activities, not after them, and ask your regional "
        "coordinator early whether the idea fits the call.\n\n"
        "Grants.gov's *Learn Grants* pages explain the federal grant life cycle and its vocabulary for first-time "
        "applicants.",
        ("funding:proposal-writing", "audiences:public-libraries", "audiences:community-organizations",
         "audiences:academic-libraries"),
        (("Grants.gov: Learn Grants", "https://www.grants.gov/learn-grants"),),
    ),
    DemoGuide(
        "NIH RePORTER: finding funded projects and partners",
        "Searching the projects NIH has funded: for examples of successful proposals, partners and reporting.",
        "NIH RePORTER lists the projects NIH has funded, with abstracts, amounts, institutions and the "
        "publications that resulted. Before writing, search it for your topic and state: abstracts of funded "
        "projects show how others framed a similar need, and the institutions listed are potential partners.\n\n"
        "Researchers use it to see what a study section has funded; a library can use it to show a dean the "
        "research its collections support.",
        ("funding:funding-tools", "audiences:researchers", "audiences:academic-libraries",
         "audiences:community-organizations"),
        (("NIH RePORTER", "https://reporter.nih.gov/"),),
    ),
    DemoGuide(
        "The Consumer Health Information Specialization",
        "The Medical Library Association's credential for library staff who answer health questions.",
        "The Medical Library Association's Consumer Health Information Specialization recognizes training in "
        "finding, evaluating and sharing health information with the public. Library staff earn it by completing "
        "approved continuing-education classes, and many free classes on MedlinePlus, health literacy and health "
        "programming count toward it.\n\n"
        "Keep a record of each class, its date and the hours it counts for; the specialization is renewed after a "
        "few years by taking further classes, which keeps skills current.",
        ("training:specializations", "topics:consumer-health", "audiences:public-libraries",
         "audiences:information-professionals"),
        (("Medical Library Association", "https://www.mlanet.org/"),),
    ),
]


def load_demo_catalog() -> None:
    """Create the taxonomy if missing and the demo guides that do not exist yet (idempotent)."""
    with transaction.atomic():
        ensure_taxonomy()
    terms = {f"{t.category.slug}:{t.slug}": t for t in Term.objects.select_related("category")}
    existing = set(Guide.objects.values_list("slug", flat=True))
    today = timezone.localdate()
    for index, guide in enumerate(DEMO_GUIDES):
        if guide.key in existing:
            continue
        guide_create(
            actor=None,
            title=guide.title,
            slug=guide.key,
            summary=guide.summary,
            body=guide.body,
            status=Guide.Status.PUBLISHED,
            # Spread review dates so the "needs review" list has something in a demo.
            last_reviewed=today - datetime.timedelta(days=45 * (index % 16)),
            terms=[terms[key] for key in guide.terms if key in terms],
            links=guide.links,
        )
