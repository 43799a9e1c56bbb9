"""The taxonomy is written through its services, by network staff only, each change with an audit row."""

import pytest
from django.urls import reverse

from crowdsci.catalog.errors import CatalogError
from crowdsci.catalog.models import Category, GuideTerm, Term
from crowdsci.catalog.services import category_delete, category_save, term_delete, term_save
from crowdsci.catalog.tests.factories import make_guide, term
from crowdsci.core.models import AuditEntry
from crowdsci.network.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_staff_add_change_and_delete_categories_and_entries_with_audit_rows():
    staff = make_user("staffer", role="staff")
    category = category_save(actor=staff, category=Category(slug="formats", name="Formats", position=9))
    entry = term_save(actor=staff, term=Term(category=category, slug="video", name="Video"))
    entry.name = "Videos"
    term_save(actor=staff, term=entry)
    guide = make_guide("Filed", terms=[("formats", "video"), ("topics", "stem")])
    term_delete(actor=staff, term=entry)
    assert [t.slug for t in guide.terms.all()] == ["stem"]
    category_delete(actor=staff, category=category)
    assert not Category.objects.filter(slug="formats").exists()
    actions = list(AuditEntry.objects.filter(action__startswith="catalog.c").order_by("pk").values_list("action"))
    actions += list(AuditEntry.objects.filter(action__startswith="catalog.term").order_by("pk").values_list("action"))
    assert [action for (action,) in actions] == [
        "catalog.category.create",
        "catalog.category.delete",
        "catalog.term.create",
        "catalog.term.update",
        "catalog.term.delete",
    ]
    assert AuditEntry.objects.get(action="catalog.term.delete").detail == {
        "category": "formats",
        "slug": "video",
        "guides": 1,
    }
    assert all(entry.actor == staff for entry in AuditEntry.objects.filter(action__contains=".term."))


def test_a_duplicate_entry_is_refused_with_a_message():
    staff = make_user("staffer", role="staff")
    topics = Category.objects.get(slug="topics")
    with pytest.raises(CatalogError, match="Category and Slug already exists"):
        term_save(actor=staff, term=Term(category=topics, slug="stem", name="Another STEM"))


def test_coordinators_and_others_do_not_change_the_taxonomy():
    stem = term("topics", "stem")
    for person in (make_user("coord", role="coordinator", region=2), make_user("visitor")):
        with pytest.raises(CatalogError, match="Only network staff"):
            category_save(actor=person, category=Category(slug="x", name="X"))
        stem.name = "Renamed"
        with pytest.raises(CatalogError):
            term_save(actor=person, term=stem)
        with pytest.raises(CatalogError):
            term_delete(actor=person, term=stem)
        with pytest.raises(CatalogError):
            category_delete(actor=person, category=stem.category)
    assert Term.objects.get(pk=stem.pk).name == "STEM Initiatives"
    assert not AuditEntry.objects.filter(action__startswith="catalog.term").exists()


def test_the_admin_saves_and_deletes_entries_through_the_services(client):
    client.force_login(make_user("staffer", role="staff"))
    topics = Category.objects.get(slug="topics")
    response = client.post(
        reverse("admin:catalog_term_add"),
        {"category": topics.pk, "slug": "genomics", "name": "Genomics", "description": "", "position": "20"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    genomics = Term.objects.get(slug="genomics")
    make_guide("Genes", terms=[("topics", "genomics")])
    response = client.post(reverse("admin:catalog_term_delete", args=[genomics.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Term.objects.filter(slug="genomics").exists()
    assert not GuideTerm.objects.filter(term_id=genomics.pk).exists()
    assert list(
        AuditEntry.objects.filter(object_type="catalog.term").order_by("pk").values_list("action", flat=True)
    ) == [
        "catalog.term.create",
        "catalog.term.delete",
    ]
