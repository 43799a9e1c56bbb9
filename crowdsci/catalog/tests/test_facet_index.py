"""The in-memory facet index: it answers what the database would, and follows every kind of write."""

import random

import pytest
from django.db import connection, transaction

from crowdsci.catalog import facet_index
from crowdsci.catalog.models import CatalogStamp, Guide, GuideTerm, Term
from crowdsci.catalog.selectors import facet_counts, guides_search, taxonomy
from crowdsci.catalog.tests.factories import make_guide, term

pytestmark = pytest.mark.django_db

HL, CH = ("topics", "health-literacy"), ("topics", "consumer-health")
PUBLIC, R3 = ("audiences", "public-libraries"), ("regions", "region-3")


def listed(selection=None):
    return [hit.guide.title for hit in guides_search("", selection or {})[0:100]]


def test_guides_are_listed_in_title_order_and_drafts_left_out():
    make_guide("Beta")
    make_guide("Alpha")
    make_guide("Draft", status=Guide.Status.DRAFT)
    index = facet_index.current_index()
    assert [Guide.objects.get(pk=pk).title for pk in index.guide_ids] == ["Alpha", "Beta"]
    assert listed() == ["Alpha", "Beta"]


def test_a_page_is_read_off_the_set_in_title_order():
    for title in ["E", "A", "D", "C", "B", "F"]:
        make_guide(title, terms=[HL] if title in "ACEF" else [])
    index = facet_index.current_index()
    health_literacy = index.entry(term(*HL).pk)
    titles = {g.pk: g.title for g in Guide.objects.all()}
    assert [titles[pk] for pk in index.ids_in_title_order(health_literacy)] == ["A", "C", "E", "F"]
    assert [titles[pk] for pk in index.ids_in_title_order(health_literacy, 1, 3)] == ["C", "E"]
    assert index.ids_in_title_order(health_literacy, 4, 10) == []
    assert index.ids_in_title_order(0) == []


def test_set_of_leaves_out_what_is_not_published():
    published = make_guide("Published")
    draft = make_guide("Draft", status=Guide.Status.DRAFT)
    index = facet_index.current_index()
    bits = index.set_of([published.pk, draft.pk, 10**9])
    assert index.ids_in_title_order(bits) == [published.pk]


def test_the_index_is_kept_while_nothing_changes_and_rebuilt_after_a_write():
    make_guide("One")
    first = facet_index.current_index()
    assert facet_index.current_index() is first
    make_guide("Two")
    second = facet_index.current_index()
    assert second is not first
    assert len(second.guide_ids) == 2


@pytest.mark.parametrize(
    ("write", "still_listed"),
    [
        pytest.param(
            lambda g: Guide.objects.filter(pk=g.pk).update(status=Guide.Status.DRAFT), ["Kept"], id="unpublish"
        ),
        pytest.param(lambda g: Guide.objects.filter(pk=g.pk).delete(), ["Kept"], id="delete"),
        pytest.param(lambda g: GuideTerm.objects.filter(guide=g).delete(), ["Changed", "Kept"], id="entry-taken-off"),
        pytest.param(lambda g: Term.objects.filter(slug=HL[1]).delete(), ["Changed", "Kept"], id="entry-deleted"),
    ],
)
def test_writes_that_bypass_the_services_are_seen(write, still_listed):
    make_guide("Kept", terms=[CH])
    changed = make_guide("Changed", terms=[HL])
    health_literacy = term(*HL).pk
    assert listed() == ["Changed", "Kept"]
    assert guides_search("", {"topics": [health_literacy]}).count() == 1
    write(changed)
    assert listed() == still_listed
    assert guides_search("", {"topics": [health_literacy]}).count() == 0
    assert facet_index.current_index().entry(health_literacy) == 0


def test_raw_sql_from_another_writer_is_seen():
    """As another process would write: plain SQL, no Django signal or service involved."""
    guide = make_guide("Raw", terms=[PUBLIC])
    public = term(*PUBLIC).pk
    assert guides_search("", {"audiences": [public]}).count() == 1
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM catalog_guideterm WHERE guide_id = %s", [guide.pk])
    assert guides_search("", {"audiences": [public]}).count() == 0
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO catalog_guideterm (guide_id, term_id) VALUES (%s, %s)", [guide.pk, public])
    assert guides_search("", {"audiences": [public]}).count() == 1
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_guide SET title = %s WHERE id = %s", ["AAA renamed", guide.pk])
    make_guide("Mmm")
    assert listed() == ["AAA renamed", "Mmm"]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_guide SET title = %s WHERE id = %s", ["Zzz renamed", guide.pk])
    assert listed() == ["Mmm", "Zzz renamed"]


def test_a_rolled_back_write_leaves_no_trace():
    make_guide("Committed")
    assert listed() == ["Committed"]
    with pytest.raises(RuntimeError), transaction.atomic():
        make_guide("Rolled back")
        assert listed() == ["Committed", "Rolled back"]  # built inside the transaction, at its token
        raise RuntimeError
    assert listed() == ["Committed"]


def test_without_a_stamp_row_every_request_builds_afresh():
    make_guide("Before")
    CatalogStamp.objects.all().delete()
    assert listed() == ["Before"]
    assert facet_index.current_index() is not facet_index.current_index()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE catalog_guide SET status = 'draft'")
    assert listed() == []
    make_guide("After")  # the triggers put the row back
    assert CatalogStamp.objects.filter(pk=1).exists()
    assert listed() == ["After"]
    assert facet_index.current_index() is facet_index.current_index()


def test_the_stamp_is_a_single_row():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        CatalogStamp.objects.create(pk=2, token=1)


def test_the_triggers_are_installed():
    if connection.vendor == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'catalog_stamp_%%'"
        expected = 6
    else:
        sql = "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'catalog_stamp_%%'"
        expected = 2
    with connection.cursor() as cursor:
        cursor.execute(sql)
        assert len(cursor.fetchall()) == expected


def test_counts_equal_the_databases_own_counts_for_random_selections():
    """Against the plain ORM query for every entry of every category, over a random catalog and selections."""
    rng = random.Random(20261201)  # reproducible test data, not security
    tax = taxonomy()
    facets = [c for c in tax.categories if c.slug in ("topics", "audiences", "regions")]
    entries = {c.slug: [t.pk for t in c.term_list] for c in facets}
    for number in range(60):
        guide = Guide.objects.create(
            title=f"Guide {rng.randrange(1000):03d}",
            slug=f"random-{number}",
            summary="s",
            status=Guide.Status.PUBLISHED if rng.random() < 0.85 else Guide.Status.DRAFT,
        )
        chosen = {pk for slug in entries for pk in rng.sample(entries[slug], rng.randint(0, 2))}
        GuideTerm.objects.bulk_create(GuideTerm(guide=guide, term_id=pk) for pk in chosen)
    for _ in range(25):
        selection = {slug: rng.sample(ids, rng.randint(0, 2)) for slug, ids in entries.items()}
        selection = {slug: ids for slug, ids in selection.items() if ids}
        groups = {g.category.slug: g for g in facet_counts("", selection, taxonomy=tax)}
        for slug in entries:
            others = Guide.objects.published()
            for other, ids in selection.items():
                if other != slug:
                    others = others.filter(pk__in=GuideTerm.objects.filter(term_id__in=ids).values("guide_id"))
            for value in groups[slug].values:
                assert value.count == others.filter(guide_terms__term_id=value.term.pk).count(), (selection, slug)
        results = guides_search("", selection)
        expected = Guide.objects.published()
        for ids in selection.values():
            expected = expected.filter(pk__in=GuideTerm.objects.filter(term_id__in=ids).values("guide_id"))
        expected_ids = list(expected.order_by("title", "pk").values_list("pk", flat=True))
        assert results.count() == len(expected_ids)
        assert [hit.guide.pk for hit in results[0 : len(expected_ids) + 5]] == expected_ids


@pytest.mark.django_db
def test_titles_sort_ignoring_case_and_accents(client):
    from django.urls import reverse

    for title in ("zebra crossings", "Éclair recipes", "apple orchards", "Eclipse viewing", "Banana bread", "edit"):
        make_guide(title)
    index = facet_index.build()
    titles = dict(Guide.objects.values_list("pk", "title"))
    expected = ["apple orchards", "Banana bread", "Éclair recipes", "Eclipse viewing", "edit", "zebra crossings"]
    assert [titles[pk] for pk in index.guide_ids] == expected
    html = client.get(reverse("catalog-browse")).content.decode()
    assert [html.index(f">{title}</a>") for title in expected] == sorted(html.index(f">{t}</a>") for t in expected)
