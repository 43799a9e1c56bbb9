"""Search behaves the same on SQLite (FTS5) and PostgreSQL (tsvector): run with and without DATABASE_URL."""

import pytest
from django.db import connection

from crowdsci.catalog import fts
from crowdsci.catalog.models import Guide
from crowdsci.catalog.selectors import guides_search
from crowdsci.catalog.services import guide_delete, guide_update
from crowdsci.catalog.tests.factories import make_guide, term

pytestmark = pytest.mark.django_db


def titles(results, limit=50):
    return [hit.guide.title for hit in results[0:limit]]


def test_a_title_match_ranks_above_a_body_match():
    make_guide("Storytime ideas", body="Reading aloud. " * 3 + "Some words about watersheds and rivers.")
    make_guide("Watersheds for beginners", body="An introduction.")
    make_guide("Unrelated", body="Nothing to see.")
    results = guides_search("watersheds", {})
    assert results.count() == 2
    assert titles(results) == ["Watersheds for beginners", "Storytime ideas"]
    hits = results[0:2]
    assert hits[0].rank > hits[1].rank


def test_a_summary_match_ranks_between_title_and_body():
    make_guide("Body only", summary="Nothing.", body="grants are mentioned here")
    make_guide("Summary only", summary="About grants.", body="Nothing.")
    make_guide("Grants", summary="Nothing.", body="Nothing.")
    assert titles(guides_search("grants", {})) == ["Grants", "Summary only", "Body only"]


def test_words_are_stemmed_and_all_required():
    make_guide("Health literacy for libraries")
    make_guide("Library health programs")
    make_guide("Literacy at home")
    assert set(titles(guides_search("library health", {}))) == {
        "Health literacy for libraries",
        "Library health programs",
    }
    assert titles(guides_search("libraries literacy", {})) == ["Health literacy for libraries"]


def test_phrase_alternatives_and_exclusion():
    make_guide("Plain language checklist")
    make_guide("Language of plain maps")
    make_guide("Water testing kits", body="lead in pipes")
    make_guide("Water games")
    assert titles(guides_search('"plain language"', {})) == ["Plain language checklist"]
    assert set(titles(guides_search("checklist or games", {}))) == {"Plain language checklist", "Water games"}
    assert titles(guides_search("water -lead", {})) == ["Water games"]


def test_search_combines_with_facets():
    make_guide("Literacy A", terms=[("topics", "health-literacy"), ("regions", "region-3")])
    make_guide("Literacy B", terms=[("topics", "health-literacy"), ("regions", "region-4")])
    make_guide("Other C", terms=[("regions", "region-3")], body="literacy mentioned")
    region_3 = term("regions", "region-3").pk
    assert titles(guides_search("literacy", {"regions": [region_3]})) == ["Literacy A", "Other C"]
    topic = term("topics", "health-literacy").pk
    assert titles(guides_search("literacy", {"regions": [region_3], "topics": [topic]})) == ["Literacy A"]
    assert guides_search("literacy", {"regions": [region_3], "topics": [topic]}).count() == 1


def test_highlighted_title_and_snippet_are_escaped_with_marks():
    make_guide("<b>Bold</b> water & pipes", body="Testing <script>alert(1)</script> the water in old pipes.")
    [hit] = guides_search("water", {})[0:1]
    assert "<mark>water</mark>" in hit.title_html.lower()
    assert "&lt;b&gt;" in hit.title_html
    assert "<b>" not in hit.title_html
    assert "<mark>water</mark>" in hit.snippet_html.lower()
    assert "<script" not in hit.snippet_html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"foo', ["Foo and title guide"]),  # an unclosed quote closes at the end
        ("AND OR (", []),  # operators alone are no words (and stop words)
        ("NEAR(", ["Libraries near you"]),  # FTS5's NEAR is a plain word here
        ("*", []),
        ("title:x", ["Foo and title guide"]),  # two words, as PostgreSQL reads them, not a column filter
        ("a OR", []),
        ("OR", []),
        ("-", []),
        ('"', []),
        ("(((", []),
        ("x' OR '1'='1", ["Foo and title guide"]),  # x, or the phrase "1 1": an injection is just words
        ("\\", []),
    ],
)
def test_hostile_queries_are_read_as_words(query, expected):
    make_guide("Foo and title guide", body="x")
    make_guide("Libraries near you", body="y")
    results = guides_search(query, {})
    assert results.count() == len(expected)
    assert titles(results) == expected


def test_a_query_of_stop_words_finds_nothing_on_both_databases():
    make_guide("The guide")
    assert guides_search("the and of", {}).count() == 0
    assert guides_search("the and of", {})[0:5] == []


def test_drafts_are_not_found():
    make_guide("Draft about kits", status=Guide.Status.DRAFT)
    make_guide("Published about kits")
    assert titles(guides_search("kits", {})) == ["Published about kits"]


def test_the_index_follows_updates_and_deletes():
    guide = make_guide("Seed libraries")
    assert guides_search("seed", {}).count() == 1
    guide_update(actor=None, guide=guide, title="Tool libraries", body="Lend drills.")
    assert guides_search("seed", {}).count() == 0
    assert titles(guides_search("drills", {})) == ["Tool libraries"]
    guide_delete(actor=None, guide=guide)
    assert guides_search("drills", {}).count() == 0


def test_rows_written_in_bulk_are_indexed_too():
    Guide.objects.bulk_create(
        [
            Guide(title=f"Bulk guide {n}", slug=f"bulk-{n}", summary="s", body_text="orchards", status="published")
            for n in range(3)
        ]
    )
    assert guides_search("orchards", {}).count() == 3
    Guide.objects.filter(slug="bulk-0").update(body_text="vineyards")
    assert guides_search("orchards", {}).count() == 2
    Guide.objects.filter(slug="bulk-1").delete()
    assert guides_search("orchards", {}).count() == 1
    fts.rebuild(connection)
    assert guides_search("orchards", {}).count() == 1


def test_results_page_like_a_sequence():
    for n in range(5):
        make_guide(f"Paging guide {n}")
    results = guides_search("paging", {})
    assert len(results[0:2]) == 2
    assert len(results[4:10]) == 1
    assert results[3:3] == []
    browse = guides_search("", {})
    assert [h.guide.title for h in browse[0:2]] == ["Paging guide 0", "Paging guide 1"]


def test_pages_of_a_search_follow_the_ranking_without_gaps_or_repeats():
    # Equal ranks are ordered by title: the slices of one ranking, whatever the page size.
    for n in range(7):
        make_guide(f"Orchard notes {n}", body="orchard " * (n % 3))
    results = guides_search("orchard", {})
    everything = titles(results)
    assert len(everything) == 7
    assert [t for start in range(0, 7, 3) for t in titles_of(results[start : start + 3])] == everything
    assert titles_of(results[5:]) == everything[5:]


def test_each_hit_lists_its_entries_in_taxonomy_order():
    from crowdsci.catalog.selectors import taxonomy

    make_guide(
        "Tagged orchard guide",
        terms=[("regions", "region-3"), ("topics", "health-literacy"), ("audiences", "public-libraries")],
    )
    make_guide("Untagged orchard guide")
    tax = taxonomy()
    expected = sorted(
        [term("regions", "region-3"), term("topics", "health-literacy"), term("audiences", "public-libraries")],
        key=lambda t: (tax.terms_by_id[t.pk].category.position, t.position, t.name),
    )
    for query in ("orchard", ""):
        hits = {hit.guide.title: hit for hit in guides_search(query, {}, taxonomy=tax)[0:10]}
        assert [t.slug for t in hits["Tagged orchard guide"].terms] == [t.slug for t in expected], query
        assert hits["Untagged orchard guide"].terms == []
    # Without a taxonomy to name them, hits carry no entries (and cost no query for them).
    [hit, _] = guides_search("orchard", {})[0:2]
    assert hit.terms == []


def titles_of(hits):
    return [hit.guide.title for hit in hits]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's storage of the search vector")
def test_postgresql_keeps_a_search_vector_in_its_row():
    # About 3 kB of vector (distinct words compress poorly): by default PostgreSQL would move it to TOAST, and
    # ranking would read it from there for every match.
    words = [f"{a}{b}{c}" for a in "bcdfgh" for b in "aeiou" for c in ("lom", "ren", "tis", "vak", "zum")][:150]
    guide = make_guide("Vector storage", summary="A short summary.", body=" ".join(words))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_column_size(search_vector) FROM catalog_guide WHERE id = %s", [guide.pk])
        assert cursor.fetchone()[0] > 2100
        cursor.execute("SELECT reltoastrelid::regclass::text FROM pg_class WHERE relname = 'catalog_guide'")
        (toast_table,) = cursor.fetchone()
        cursor.execute(f"SELECT count(*) FROM {toast_table}")  # noqa: S608 - a name from the catalog
        assert cursor.fetchone()[0] == 0
    assert titles(guides_search("gilom", {})) == ["Vector storage"]
