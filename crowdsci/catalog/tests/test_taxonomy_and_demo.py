import pytest

from crowdsci.catalog.demo import NLM_RESOURCE_GUIDES, load_demo_catalog
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


def test_demo_gives_every_entry_a_published_guide_and_is_idempotent(client):
    load_demo_catalog()
    count = Guide.objects.count()
    load_demo_catalog()
    # One guide per entry, and the guides to the NLM resources a librarian uses.
    assert Guide.objects.count() == count == Term.objects.count() + len(NLM_RESOURCE_GUIDES)
    for slug, _title, _summary, _body, _entries, links in NLM_RESOURCE_GUIDES:
        guide = Guide.objects.get(slug=slug)
        assert guide.status == Guide.Status.PUBLISHED and len(guide.body_text) > 200
        assert [link.url for link in guide.links.all()] == [url for _title, url in links]
        assert all(url.startswith("https://") for _title, url in links)
    for term in Term.objects.select_related("category"):
        assert term.guides.filter(status=Guide.Status.PUBLISHED).exists(), term
    docline = Guide.objects.get(terms__slug="docline", terms__category__slug="resource-sharing")
    assert docline.links.filter(url__startswith="https://").exists()
    # Every browse page has something.
    for term in Term.objects.select_related("category"):
        response = client.get(term.get_absolute_url())
        assert response.status_code == 200
        assert response.context["page_obj"].paginator.count >= 1
