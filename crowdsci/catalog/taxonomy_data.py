"""The catalog's categories and entries for the network this project ships with (../shared/program.md).

``ensure_taxonomy`` is idempotent: the data migration calls it with the historical models, tests and the demo
loader call it with the real ones (a transactional test flushes what a migration loaded). Names are marked with
``gettext_noop`` so they reach the message catalogs; the models translate them when shown.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop as N_

# (slug, name, description, [(slug, name, description), ...]); Regional Focus entries link to region numbers.
TAXONOMY: list[tuple[str, str, str, list[tuple[str, str, str]]]] = [
    (
        "membership",
        N_("Membership"),
        N_("Benefits of joining the network, and the tools and services open to members."),
        [
            ("benefits", N_("Membership Benefits"), N_("What member libraries and organizations receive.")),
            ("member-tools", N_("Member Tools and Services"), N_("Tools and services available to members.")),
        ],
    ),
    (
        "funding",
        N_("Funding"),
        N_("Support for writing proposals and the guides, templates and tutorials that go with funding."),
        [
            ("proposal-writing", N_("Proposal Writing Support"), N_("Help with planning and writing a proposal.")),
            (
                "funding-tools",
                N_("Tools and Resources"),
                N_("Funding guides, FAQs, templates, and tutorials for web-based applications and activity reports."),
            ),
        ],
    ),
    (
        "training",
        N_("Training"),
        N_("Classes, NLM training resources and continuing-education specializations."),
        [
            ("class-resources", N_("Class Resources"), N_("Materials that go with the network's classes.")),
            ("nlm-resources", N_("NLM Resources"), N_("Training on National Library of Medicine resources.")),
            ("specializations", N_("Specializations"), N_("Continuing-education specializations.")),
        ],
    ),
    (
        "topics",
        N_("Topics"),
        N_("Subjects the network's guides cover."),
        [
            ("all-of-us", N_("All of Us"), N_("The All of Us Research Program and its partnerships with libraries.")),
            ("citizen-science", N_("Citizen Science"), N_("Public participation in scientific research.")),
            ("consumer-health", N_("Consumer Health"), N_("Health information for patients, families and the public.")),
            ("data-science", N_("Data Science / Data Management"), N_("Working with, managing and sharing data.")),
            ("dei", N_("Diversity, Equity, and Inclusion"), N_("Equitable and inclusive services and collections.")),
            ("disaster-preparedness", N_("Disaster and Emergency Preparedness"), N_("Planning for emergencies.")),
            ("graphic-medicine", N_("Graphic Medicine"), N_("Comics and graphic narratives about health and care.")),
            (
                "health-literacy",
                N_("Health Literacy"),
                N_("Helping people find, understand and use health information."),
            ),
            ("hiv-aids", N_("HIV/AIDS"), N_("Information resources about HIV and AIDS.")),
            ("student-engagement", N_("Student Engagement"), N_("Involving students in health information work.")),
            ("public-health", N_("Public Health"), N_("Information for and about the health of communities.")),
            ("stem", N_("STEM Initiatives"), N_("Science, technology, engineering and mathematics programs.")),
            ("substance-use", N_("Substance Use Disorder / NIH HEAL"), N_("Substance use disorder and NIH HEAL.")),
            ("scholarly-communication", N_("Scholarly Communication"), N_("Publishing, sharing and citing research.")),
        ],
    ),
    (
        "audiences",
        N_("Audiences"),
        N_("Who a guide is written for."),
        [
            ("academic-libraries", N_("Academic Libraries"), ""),
            ("health-sciences-libraries", N_("Hospital/Health Sciences Libraries"), ""),
            ("public-libraries", N_("Public Libraries"), ""),
            ("information-professionals", N_("Other Library or Information Professionals"), ""),
            ("community-organizations", N_("Community-based Organizations"), ""),
            ("data-tool-developers", N_("Data Resource or Tool Developers"), ""),
            ("data-scientists", N_("Data Scientists"), ""),
            ("college-educators", N_("College & Post-grad Educators"), ""),
            ("college-students", N_("College & Post-grad Students"), ""),
            ("k12-educators", N_("K-12 Educators"), ""),
            ("k12-students", N_("K-12 Students"), ""),
            ("healthcare-providers", N_("Healthcare Providers"), ""),
            ("public-health-professionals", N_("Public Health Professionals"), ""),
            ("researchers", N_("Researchers"), ""),
        ],
    ),
    (
        "regions",
        N_("Regional Focus"),
        N_("Guides for the network's seven regions."),
        [(f"region-{n}", f"Region {n}", "") for n in range(1, 8)],
    ),
    (
        "resource-sharing",
        N_("Resource Sharing"),
        N_("Services for sharing collections between libraries."),
        [
            ("docline", N_("DOCLINE"), N_("NLM's interlibrary-loan request routing system.")),
            (
                "public-health-collections",
                N_("Public Health Collections"),
                N_("The network's Public Health Digital Library."),
            ),
        ],
    ),
]

# Region names are the network's; these are only for translators.
_REGION_NAMES_FOR_TRANSLATORS = [N_("Region %(number)s")]

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
