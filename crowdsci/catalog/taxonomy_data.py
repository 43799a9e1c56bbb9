# ruff: noqa: E501 -- the taxonomy table keeps one entry per line.
"""The catalog's categories and entries for the network this project ships with (../shared/program.md).

``ensure_taxonomy`` is idempotent: the data migration calls it with the historical models, tests and the demo
loader call it with the real ones (a transactional test flushes what a migration loaded). Names are marked with
``gettext_noop`` so they reach the message catalogs; the models translate them when shown.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

# (slug, name, description, [(slug, name, description), ...]); Regional Focus entries link to region numbers.
TAXONOMY: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    (
        "membership",
        gettext_noop("Membership"),
        gettext_noop("Benefits of joining the network, and the tools and services open to members."),
        [
            ("benefits", gettext_noop("Membership Benefits"), gettext_noop("What member libraries and organizations receive.")),
            ("member-tools", gettext_noop("Member Tools and Services"), gettext_noop("Tools and services available to members.")),
        ],
    ),
    (
        "funding",
        gettext_noop("Funding"),
        gettext_noop("Support for writing proposals and the guides, templates and tutorials that go with funding."),
        [
            ("proposal-writing", gettext_noop("Proposal Writing Support"), gettext_noop("Help with planning and writing a proposal.")),
            (
                "funding-tools",
                gettext_noop("Tools and Resources"),
                gettext_noop("Funding guides, FAQs, templates, and tutorials for web-based applications and activity reports."),
            ),
        ],
    ),
    (
        "training",
        gettext_noop("Training"),
        gettext_noop("Classes, NLM training resources and continuing-education specializations."),
        [
            ("class-resources", gettext_noop("Class Resources"), gettext_noop("Materials that go with the network's classes.")),
            ("nlm-resources", gettext_noop("NLM Resources"), gettext_noop("Training on National Library of Medicine resources.")),
            ("specializations", gettext_noop("Specializations"), gettext_noop("Continuing-education specializations.")),
        ],
    ),
    (
        "topics",
        gettext_noop("Topics"),
        gettext_noop("Subjects the network's guides cover."),
        [
            ("all-of-us", gettext_noop("All of Us"), gettext_noop("The All of Us Research Program and its partnerships with libraries.")),
            ("citizen-science", gettext_noop("Citizen Science"), gettext_noop("Public participation in scientific research.")),
            ("consumer-health", gettext_noop("Consumer Health"), gettext_noop("Health information for patients, families and the public.")),
            ("data-science", gettext_noop("Data Science / Data Management"), gettext_noop("Working with, managing and sharing data.")),
            ("dei", gettext_noop("Diversity, Equity, and Inclusion"), gettext_noop("Equitable and inclusive services and collections.")),
            ("disaster-preparedness", gettext_noop("Disaster and Emergency Preparedness"), gettext_noop("Planning for emergencies.")),
            ("graphic-medicine", gettext_noop("Graphic Medicine"), gettext_noop("Comics and graphic narratives about health and care.")),
            (
                "health-literacy",
                gettext_noop("Health Literacy"),
                gettext_noop("Helping people find, understand and use health information."),
            ),
            ("hiv-aids", gettext_noop("HIV/AIDS"), gettext_noop("Information resources about HIV and AIDS.")),
            ("student-engagement", gettext_noop("Student Engagement"), gettext_noop("Involving students in health information work.")),
            ("public-health", gettext_noop("Public Health"), gettext_noop("Information for and about the health of communities.")),
            ("stem", gettext_noop("STEM Initiatives"), gettext_noop("Science, technology, engineering and mathematics programs.")),
            ("substance-use", gettext_noop("Substance Use Disorder / NIH HEAL"), gettext_noop("Substance use disorder and NIH HEAL.")),
            ("scholarly-communication", gettext_noop("Scholarly Communication"), gettext_noop("Publishing, sharing and citing research.")),
        ],
    ),
    (
        "audiences",
        gettext_noop("Audiences"),
        gettext_noop("Who a guide is written for."),
        [
            ("academic-libraries", gettext_noop("Academic Libraries"), ""),
            ("health-sciences-libraries", gettext_noop("Hospital/Health Sciences Libraries"), ""),
            ("public-libraries", gettext_noop("Public Libraries"), ""),
            ("information-professionals", gettext_noop("Other Library or Information Professionals"), ""),
            ("community-organizations", gettext_noop("Community-based Organizations"), ""),
            ("data-tool-developers", gettext_noop("Data Resource or Tool Developers"), ""),
            ("data-scientists", gettext_noop("Data Scientists"), ""),
            ("college-educators", gettext_noop("College & Post-grad Educators"), ""),
            ("college-students", gettext_noop("College & Post-grad Students"), ""),
            ("k12-educators", gettext_noop("K-12 Educators"), ""),
            ("k12-students", gettext_noop("K-12 Students"), ""),
            ("healthcare-providers", gettext_noop("Healthcare Providers"), ""),
            ("public-health-professionals", gettext_noop("Public Health Professionals"), ""),
            ("researchers", gettext_noop("Researchers"), ""),
        ],
    ),
    (
        "regions",
        gettext_noop("Regional Focus"),
        gettext_noop("Guides for the network's seven regions."),
        [(f"region-{n}", f"Region {n}", "") for n in range(1, 8)],
    ),
    (
        "resource-sharing",
        gettext_noop("Resource Sharing"),
        gettext_noop("Services for sharing collections between libraries."),
        [
            ("docline", gettext_noop("DOCLINE"), gettext_noop("NLM's interlibrary-loan request routing system.")),
            (
                "public-health-collections",
                gettext_noop("Public Health Collections"),
                gettext_noop("The network's Public Health Digital Library."),
            ),
        ],
    ),
]

# Region names are the network's; these are only for translators.
_REGION_NAMES_FOR_TRANSLATORS = [gettext_noop("Region %(number)s")]

REGIONS_CATEGORY = "regions"
FACET_CATEGORIES = ("topics", "audiences", "regions")


def ensure_taxonomy(apps: Any = None) -> None:
    """Create missing categories and entries, and link Regional Focus entries to the network's regions.

    Existing rows keep whatever editors changed (names, descriptions); only what is missing is added.
    """
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    category_model = apps.get_model("catalog", "Category")
    term_model = apps.get_model("catalog", "Term")

    existing_categories = {c.slug: c for c in category_model.objects.all()}
    for position, (slug, name, description, _entries) in enumerate(TAXONOMY):
        if slug not in existing_categories:
            existing_categories[slug] = category_model.objects.create(
                slug=slug, name=name, description=description, position=position
            )
    existing_terms = set(term_model.objects.values_list("category__slug", "slug"))
    missing = [
        term_model(
            category=existing_categories[category_slug], slug=slug, name=name, description=description, position=i
        )
        for category_slug, _name, _description, entries in TAXONOMY
        for i, (slug, name, description) in enumerate(entries)
        if (category_slug, slug) not in existing_terms
    ]
    term_model.objects.bulk_create(missing)
    link_region_terms(apps)


def link_region_terms(apps: Any = None) -> None:
    """Point each unlinked Regional Focus entry ``region-<n>`` at the network's region number n, if it exists."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    term_model = apps.get_model("catalog", "Term")
    region_model = apps.get_model("network", "Region")
    unlinked = term_model.objects.filter(category__slug=REGIONS_CATEGORY, region__isnull=True)
    if not unlinked.exists():
        return
    regions = {f"region-{r.number}": r for r in region_model.objects.filter(catalog_term__isnull=True)}
    for term in unlinked:
        region = regions.get(term.slug)
        if region is not None:
            term.region = region
            term.save(update_fields=["region"])
