import pytest

from crowdsci.catalog.errors import CatalogError
from crowdsci.catalog.models import Guide, GuideLink
from crowdsci.catalog.services import guide_create, guide_delete, guide_link_add, guide_mark_reviewed, guide_update
from crowdsci.catalog.tests.factories import make_guide, term
from crowdsci.core.models import AuditEntry
from crowdsci.network.tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_create_renders_sanitizes_and_audits():
    staff = make_user("staffer", role="staff")
    guide = guide_create(
        actor=staff,
        title="  Kits  ",
        summary="About kits.",
        body="## Kits\n\n<script>alert(1)</script><a href='javascript:x()' onclick='y()'>go</a>",
        terms=[term("topics", "stem")],
    )
    assert guide.title == "Kits"
    assert guide.slug == "kits"
    assert guide.status == Guide.Status.DRAFT
    assert "<h2>Kits</h2>" in guide.body_html
    assert "script" not in guide.body_html
    assert "onclick" not in guide.body_html
    assert "javascript" not in guide.body_html
    assert guide.body_text == "Kits go"
    assert [t.slug for t in guide.terms.all()] == ["stem"]
    assert AuditEntry.objects.filter(action="catalog.guide.create", object_id=str(guide.pk), actor=staff).exists()


def test_validation_errors_become_catalog_errors():
    make_guide("Same", slug="same")
    with pytest.raises(CatalogError):
        make_guide("Same again", slug="same")
    with pytest.raises(CatalogError):
        make_guide("x" * 300)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,hi",
        "ftp://example.org/x",
        "https://user:pw@example.org/",
        "http://intranet/",
        "not a url",
    ],
)
def test_links_must_be_sane_web_addresses(url):
    guide = make_guide()
    with pytest.raises(CatalogError):
        guide_link_add(actor=None, guide=guide, title="Bad", url=url)
    assert not GuideLink.objects.exists()


def test_good_link_is_added():
    guide = make_guide()
    link = guide_link_add(actor=None, guide=guide, title="DOCLINE", url="https://www.nlm.nih.gov/docline/")
    assert link.position == 0


def test_update_changes_only_given_fields_and_entries():
    guide = make_guide("Before", body="old", terms=[("topics", "stem")], status=Guide.Status.DRAFT)
    guide_update(actor=None, guide=guide, body="**new**", terms=[term("topics", "hiv-aids")], status="published")
    guide.refresh_from_db()
    assert guide.title == "Before"
    assert guide.body_html == "<p><strong>new</strong></p>\n"
    assert [t.slug for t in guide.terms.all()] == ["hiv-aids"]
    entry = AuditEntry.objects.filter(action="catalog.guide.update").first()
    assert entry.detail == {"fields": ["body", "status", "terms"], "status": ["draft", "published"]}


def test_coordinator_files_guides_under_their_own_regions_only():
    coordinator = make_user("coord", role="coordinator", region=3)
    with pytest.raises(CatalogError, match="at least one of your regions"):
        guide_create(actor=coordinator, title="No region", summary="s", terms=[term("topics", "stem")])
    with pytest.raises(CatalogError, match="regions you coordinate"):
        guide_create(actor=coordinator, title="Other region", summary="s", terms=[term("regions", "region-4")])
    guide = guide_create(actor=coordinator, title="Mine", summary="s", terms=[term("regions", "region-3")])
    guide_update(actor=coordinator, guide=guide, title="Still mine")
    with pytest.raises(CatalogError):
        guide_update(actor=coordinator, guide=guide, terms=[term("regions", "region-3"), term("regions", "region-4")])


def test_coordinator_cannot_change_network_wide_or_other_regions_guides():
    coordinator = make_user("coord", role="coordinator", region=3)
    network_wide = make_guide("Network-wide")
    shared = make_guide("Shared", terms=[("regions", "region-3"), ("regions", "region-4")])
    for guide in (network_wide, shared):
        with pytest.raises(CatalogError):
            guide_update(actor=coordinator, guide=guide, title="Taken")
        with pytest.raises(CatalogError):
            guide_delete(actor=coordinator, guide=guide)


def test_people_without_a_role_cannot_write():
    visitor = make_user("visitor")
    with pytest.raises(CatalogError):
        guide_create(actor=visitor, title="Nope", summary="s")
    guide = make_guide()
    with pytest.raises(CatalogError):
        guide_mark_reviewed(actor=visitor, guide=guide, on=guide.created.date())


def test_mark_reviewed_and_delete():
    staff = make_user("staffer", role="staff")
    guide = make_guide()
    guide_mark_reviewed(actor=staff, guide=guide, on=guide.created.date())
    guide.refresh_from_db()
    assert guide.last_reviewed == guide.created.date()
    guide_delete(actor=staff, guide=guide)
    assert not Guide.objects.exists()
    assert AuditEntry.objects.filter(action="catalog.guide.delete").exists()
