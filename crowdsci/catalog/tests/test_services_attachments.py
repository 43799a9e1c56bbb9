"""Links and files on a guide: written only through their services, each write with an audit row."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from crowdsci.catalog.errors import CatalogError
from crowdsci.catalog.models import GuideFile, GuideLink
from crowdsci.catalog.services import (
    guide_file_add,
    guide_file_remove,
    guide_file_update,
    guide_link_add,
    guide_link_remove,
    guide_link_update,
)
from crowdsci.catalog.tests.factories import make_guide
from crowdsci.core.models import AuditEntry
from crowdsci.network.tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def audit_actions(guide) -> list[str]:
    """The audit log of a guide's links and files (its creation left out)."""
    entries = AuditEntry.objects.filter(object_type="catalog.guide", object_id=str(guide.pk)).order_by("pk")
    return [entry.action for entry in entries if entry.action != "catalog.guide.create"]


def test_links_are_added_changed_and_removed_with_an_audit_row_each():
    coordinator = make_user("coord", role="coordinator", region=2)
    guide = make_guide("Mine", terms=[("regions", "region-2")])
    link = guide_link_add(actor=coordinator, guide=guide, title=" NLM ", url="https://www.nlm.nih.gov/")
    assert (link.title, link.position) == ("NLM", 0)
    second = guide_link_add(actor=coordinator, guide=guide, title="PubMed", url="https://pubmed.ncbi.nlm.nih.gov/")
    assert second.position == 1
    guide_link_update(actor=coordinator, link=link, title="NLM home", url="https://www.nlm.nih.gov/home/", position=2)
    link.refresh_from_db()
    assert (link.title, link.url, link.position) == ("NLM home", "https://www.nlm.nih.gov/home/", 2)
    guide_link_remove(actor=coordinator, link=second)
    assert list(GuideLink.objects.values_list("title", flat=True)) == ["NLM home"]
    assert audit_actions(guide) == [
        "catalog.guide.link_add",
        "catalog.guide.link_add",
        "catalog.guide.link_update",
        "catalog.guide.link_remove",
    ]
    update = AuditEntry.objects.get(action="catalog.guide.link_update")
    assert update.actor == coordinator
    assert update.detail == {"link": link.pk, "url": ["https://www.nlm.nih.gov/", "https://www.nlm.nih.gov/home/"]}


def test_a_bad_link_change_is_refused_and_leaves_the_link_as_it_was():
    guide = make_guide()
    link = guide_link_add(actor=None, guide=guide, title="NLM", url="https://www.nlm.nih.gov/")
    with pytest.raises(CatalogError):
        guide_link_update(actor=None, link=link, title="NLM", url="javascript:alert(1)", position=0)
    link.refresh_from_db()
    assert link.url == "https://www.nlm.nih.gov/"
    assert "catalog.guide.link_update" not in audit_actions(guide)


def test_files_are_attached_replaced_and_removed_with_an_audit_row_each():
    staff = make_user("staffer", role="staff")
    guide = make_guide()
    attached = guide_file_add(
        actor=staff, guide=guide, title="Handout", file=SimpleUploadedFile("handout.pdf", b"%PDF-1.4 first")
    )
    assert attached.file.read() == b"%PDF-1.4 first"
    guide_file_update(actor=staff, attached=attached, title="Handout (new)", position=3)
    attached.refresh_from_db()
    assert (attached.title, attached.position) == ("Handout (new)", 3)
    guide_file_update(
        actor=staff,
        attached=attached,
        title="Handout (new)",
        position=3,
        file=SimpleUploadedFile("handout-2.pdf", b"%PDF-1.4 second"),
    )
    attached.refresh_from_db()
    assert attached.file.read() == b"%PDF-1.4 second"
    guide_file_remove(actor=staff, attached=attached)
    assert not GuideFile.objects.exists()
    assert audit_actions(guide) == [
        "catalog.guide.file_add",
        "catalog.guide.file_update",
        "catalog.guide.file_update",
        "catalog.guide.file_remove",
    ]
    updates = AuditEntry.objects.filter(action="catalog.guide.file_update").order_by("pk")
    assert [entry.detail["replaced"] for entry in updates] == [False, True]


def test_a_replaced_or_removed_file_leaves_storage_once_the_change_commits(django_capture_on_commit_callbacks):
    guide = make_guide()
    attached = guide_file_add(
        actor=None, guide=guide, title="Handout", file=SimpleUploadedFile("handout.pdf", b"%PDF-1.4 first")
    )
    storage, first = attached.file.storage, attached.file.name
    with django_capture_on_commit_callbacks() as callbacks:
        guide_file_update(actor=None, attached=attached, title="Handout", position=0,
                          file=SimpleUploadedFile("handout.pdf", b"%PDF-1.4 second"))
    assert storage.exists(first), "nothing is deleted before the change commits"
    for callback in callbacks:
        callback()
    attached.refresh_from_db()
    assert not storage.exists(first) and storage.exists(attached.file.name)
    second = attached.file.name
    with django_capture_on_commit_callbacks(execute=True):
        guide_file_remove(actor=None, attached=attached)
    assert not storage.exists(second)


def test_a_file_of_an_unknown_kind_is_refused():
    guide = make_guide()
    with pytest.raises(CatalogError):
        guide_file_add(actor=None, guide=guide, title="Script", file=SimpleUploadedFile("run.exe", b"MZ"))
    assert not GuideFile.objects.exists()
    assert "catalog.guide.file_add" not in audit_actions(guide)


def test_nobody_changes_the_links_and_files_of_a_guide_they_may_not_edit():
    theirs = make_guide("Theirs", terms=[("regions", "region-6")])
    link = guide_link_add(actor=None, guide=theirs, title="NLM", url="https://www.nlm.nih.gov/")
    attached = guide_file_add(actor=None, guide=theirs, title="Notes", file=SimpleUploadedFile("notes.txt", b"x"))
    for person in (make_user("coord", role="coordinator", region=2), make_user("visitor")):
        with pytest.raises(CatalogError):
            guide_link_add(actor=person, guide=theirs, title="Mine", url="https://example.org/")
        with pytest.raises(CatalogError):
            guide_link_update(actor=person, link=link, title="Mine", url="https://example.org/", position=0)
        with pytest.raises(CatalogError):
            guide_link_remove(actor=person, link=link)
        with pytest.raises(CatalogError):
            guide_file_add(actor=person, guide=theirs, title="Mine", file=SimpleUploadedFile("mine.txt", b"y"))
        with pytest.raises(CatalogError):
            guide_file_update(actor=person, attached=attached, title="Mine", position=0)
        with pytest.raises(CatalogError):
            guide_file_remove(actor=person, attached=attached)
    assert GuideLink.objects.get().title == "NLM" and GuideFile.objects.get().title == "Notes"
