import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from crowdsci.catalog import selectors
from crowdsci.catalog.demo import DEMO_GUIDES, load_demo_catalog
from crowdsci.catalog.models import Category, Guide, Term
from crowdsci.catalog.taxonomy_data import TAXONOMY, ensure_taxonomy

pytestmark = pytest.mark.django_db


def test_taxonomy_has_the_programs_categories_and_entries():
    ensure_taxonomy()
    assert list(Category.objects.values_list("name", flat=True)) == [
        "Membership", "Funding", "Training", "Topics", "Audiences", "Regional Focus", "Resource Sharing",
    ]  # fmt: skip
    counts = {c.slug: c.terms.count() for c in Category.objects.all()}
    assert counts == {
        "membership": 2, "funding": 2, "training": 3, "topics": 14, "audiences": 14, "regions": 7,
        "resource-sharing": 2,
    }  # fmt: skip
    assert all(t.slug and t.category.slug for t in Term.objects.select_related("category"))


def test_regional_focus_entries_are_the_network_regions():
    for term in Term.objects.filter(category__slug="regions").select_related("region"):
        assert term.region is not None
        assert term.slug == f"region-{term.region.number}"


def test_ensure_taxonomy_is_idempotent_and_keeps_edits():
    Term.objects.filter(slug="stem").update(description="Edited by staff")
    before = Term.objects.count()
    ensure_taxonomy()
    ensure_taxonomy()
    assert Term.objects.count() == before == sum(len(entries) for *_rest, entries in TAXONOMY)
    assert Term.objects.get(slug="stem").description == "Edited by staff"


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def test_demo_guides_are_real_published_and_idempotent():
    load_demo_catalog()
    count = Guide.objects.count()
    load_demo_catalog()
    assert Guide.objects.count() == count == len(DEMO_GUIDES)
    for spec in DEMO_GUIDES:
        guide = Guide.objects.get(slug=spec.key)
        assert guide.status == Guide.Status.PUBLISHED
        # A real link out, in the order written, and a paragraph worth reading (not a one-line stub).
        urls = [link.url for link in guide.links.all()]
        assert urls and urls == [url for _title, url in spec.links]
        assert all(url.startswith("https://") for url in urls), guide
        paragraphs = [p for p in guide.body.split("\n\n") if not p.startswith(("#", "1.", "-"))]
        assert max(_words(p) for p in paragraphs) >= 40, guide
        assert _words(guide.body_text) >= 60, guide
        # Filed under the entries written in the spec, none lost to a typo.
        assert guide.terms.count() == len(spec.terms), guide


def test_no_demo_guide_is_template_filler():
    titles = [spec.title for spec in DEMO_GUIDES]
    summaries = [spec.summary for spec in DEMO_GUIDES]
    assert len(set(titles)) == len(titles)
    assert len(set(summaries)) == len(summaries)
    assert len({spec.key for spec in DEMO_GUIDES}) == len(DEMO_GUIDES)
    filler = re.compile(r"^(Resources for |Working with Region \d)", re.IGNORECASE)
    assert [title for title in titles if filler.search(title)] == []
    assert not any("This page gathers" in spec.body or "This guide gathers" in spec.body for spec in DEMO_GUIDES)
    # The resources the network's librarians use are all there, each at its own address.
    hosts = {urlsplit(url).hostname for spec in DEMO_GUIDES for _title, url in spec.links}
    for host in ["pubmed.ncbi.nlm.nih.gov", "pmc.ncbi.nlm.nih.gov", "medlineplus.gov", "www.ncbi.nlm.nih.gov",
                 "clinicaltrials.gov", "dailymed.nlm.nih.gov", "docline.gov", "nnlm.gov", "en.wikipedia.org",
                 "scistarter.org", "citizensciencemonth.org"]:  # fmt: skip
        assert host in hosts, host


def test_demo_files_guides_only_under_entries_that_exist():
    ensure_taxonomy()
    known = {f"{t.category.slug}:{t.slug}" for t in Term.objects.select_related("category")}
    assert [key for spec in DEMO_GUIDES for key in spec.terms if key not in known] == []


def test_demo_covers_the_facets_and_an_empty_entry_says_so(client):
    load_demo_catalog()
    published = Guide.objects.filter(status=Guide.Status.PUBLISHED)
    # Every topic, audience, region and resource-sharing service has a guide a librarian would open.
    for term in Term.objects.filter(category__slug__in=["topics", "audiences", "regions", "resource-sharing"]):
        assert published.filter(terms=term).exists(), term
    for term in Term.objects.select_related("category"):
        response = client.get(term.get_absolute_url())
        assert response.status_code == 200
        if response.context["page_obj"].paginator.count == 0:
            # No filler: an entry with nothing honest to show says so.
            html = response.content.decode()
            assert "There are no guides here yet." in html
            assert f'href="{reverse("catalog-browse")}">Browse all guides</a>' in html


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("HIV/AIDS", "hiv-information-prevention-testing-and-treatment"),
        ("editathon", "hosting-a-citenlm-edit-a-thon-at-your-institution"),
        ("interlibrary loan", "docline-interlibrary-loan-requests"),
        ("drug label", "dailymed-drug-labels"),
        ("wildfire smoke", "wildfire-smoke-and-health"),
        ("public health digital library", "the-public-health-digital-library"),
    ],
)
def test_what_a_librarian_types_finds_the_demo_guide(query, slug):
    load_demo_catalog()
    taxonomy = selectors.taxonomy()
    found = [hit.guide.slug for hit in selectors.guides_search(query, {}, taxonomy=taxonomy)[:5]]
    assert slug in found, found
