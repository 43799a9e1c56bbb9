"""Facet counts against a hand-counted set of guides."""

import pytest

from crowdsci.catalog.models import Guide
from crowdsci.catalog.selectors import facet_counts, guides_search, taxonomy
from crowdsci.catalog.tests.factories import make_guide, term

pytestmark = pytest.mark.django_db

HL, CH, STEM = ("topics", "health-literacy"), ("topics", "consumer-health"), ("topics", "stem")
PUBLIC, ACADEMIC = ("audiences", "public-libraries"), ("audiences", "academic-libraries")
R3, R4 = ("regions", "region-3"), ("regions", "region-4")


@pytest.fixture
def guides():
    make_guide("G1", terms=[HL, PUBLIC, R3])
    make_guide("G2", terms=[HL, ACADEMIC, R3])
    make_guide("G3", terms=[CH, PUBLIC, R4])
    make_guide("G4", terms=[HL, CH, PUBLIC, R3, R4])
    make_guide("G5", terms=[STEM, R3])
    make_guide("Draft", terms=[HL, PUBLIC, R3], status=Guide.Status.DRAFT)


def select(*entries):
    selection: dict[str, list[int]] = {}
    for category, slug in entries:
        selection.setdefault(category, []).append(term(category, slug).pk)
    return selection


def counts(selection, query=""):
    """{(category, entry): count} for entries with a count, from facet_counts."""
    return {
        (group.category.slug, value.term.slug): value.count
        for group in facet_counts(query, selection, taxonomy=taxonomy())
        for value in group.values
        if value.count
    }


def test_counts_with_nothing_selected(guides):
    assert counts({}) == {HL: 3, CH: 2, STEM: 1, PUBLIC: 3, ACADEMIC: 1, R3: 4, R4: 2}


def test_one_topic_selected_narrows_the_other_facets_not_its_own(guides):
    assert counts(select(HL)) == {HL: 3, CH: 2, STEM: 1, PUBLIC: 2, ACADEMIC: 1, R3: 3, R4: 1}


def test_three_facets_each_counted_against_the_other_two(guides):
    selection = select(HL, PUBLIC, R4)
    assert counts(selection) == {HL: 1, CH: 2, PUBLIC: 1, R3: 2, R4: 1}
    assert [hit.guide.title for hit in guides_search("", selection)[0:10]] == ["G4"]


def test_entries_of_one_category_are_alternatives(guides):
    selection = select(HL, STEM)
    assert guides_search("", selection).count() == 4
    assert counts(selection)[R3] == 4
    assert counts(selection)[R4] == 1


def test_counts_follow_the_search_query(guides):
    make_guide("Water kits", terms=[STEM, R4])
    assert counts({}, query="water") == {STEM: 1, R4: 1}


def test_selected_flags(guides):
    groups = {g.category.slug: g for g in facet_counts("", select(HL), taxonomy=taxonomy())}
    assert groups["topics"].has_selection
    assert not groups["audiences"].has_selection
    assert [v.term.slug for v in groups["topics"].values if v.selected] == ["health-literacy"]


def test_query_count_is_bounded(guides, django_assert_max_num_queries):
    selection = select(HL, PUBLIC, R4)
    tax = taxonomy()
    # The index is current after one query for the stamp; the full-text query is the only other one.
    guides_search("", {}).count()
    with django_assert_max_num_queries(2):
        facet_counts("water", selection, taxonomy=tax)
    # Listing: the stamp, the page's guides and their entries.
    with django_assert_max_num_queries(3):
        results = guides_search("", selection, taxonomy=tax)
        results.count()
        results[0:20]


@pytest.mark.parametrize(
    ("entries", "query"),
    [
        ((HL,), ""),
        ((HL, PUBLIC), ""),
        ((HL, PUBLIC, R3), ""),
        ((HL, CH, PUBLIC), ""),
        ((HL, CH, PUBLIC, ACADEMIC), ""),
        ((HL, CH), ""),
        ((HL, PUBLIC, R3), "G4"),
        ((PUBLIC,), "g1 or g3"),
    ],
)
def test_counts_agree_with_the_results(guides, entries, query):
    """The count beside a category's only selected entry is the number of results, drafts left out, and the
    results listed are the ones counted; sharing the page's results changes no count."""
    selection = select(*entries)
    tax = taxonomy()
    results = guides_search(query, selection, taxonomy=tax)
    groups = facet_counts(query, selection, taxonomy=tax, results=results)
    listed = results[0:100]
    assert len(listed) == results.count()
    assert all(hit.guide.status == Guide.Status.PUBLISHED for hit in listed)
    for group in groups:
        chosen = [value for value in group.values if value.selected]
        if len(chosen) == 1:
            assert chosen[0].count == results.count()
    assert groups == facet_counts(query, selection, taxonomy=tax)


def test_browse_shows_the_number_of_results(client, guides):
    from django.urls import reverse

    url = reverse("catalog-browse") + "?topics=health-literacy&audiences=public-libraries&regions=region-3"
    import re

    content = client.get(url).content.decode()
    found = re.search(r'class="results-count" role="status">\s*(\d+) guides', content)
    # G1 and G4 (the draft is not counted).
    assert found is not None and found.group(1) == "2"
