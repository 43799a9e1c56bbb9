import pytest
from django.urls import reverse

from crowdsci.catalog.models import Guide
from crowdsci.catalog.tests.factories import make_guide, term
from crowdsci.network.tests.factories import make_user

pytestmark = pytest.mark.django_db


def form_data(**fields):
    data = {
        "title": "Admin guide",
        "slug": "admin-guide",
        "summary": "Written in the admin.",
        "body": "Hello <script>alert(1)</script>**there**",
        "status": "published",
        "language": "en",
        "last_reviewed": "",
        "entries": [],
        "links-TOTAL_FORMS": "1",
        "links-INITIAL_FORMS": "0",
        "links-0-title": "NLM",
        "links-0-url": "https://www.nlm.nih.gov/",
        "links-0-position": "0",
        "files-TOTAL_FORMS": "0",
        "files-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


def test_staff_add_a_guide_through_the_services(client):
    client.force_login(make_user("staffer", role="staff"))
    data = form_data(entries=[term("topics", "stem").pk, term("regions", "region-1").pk])
    response = client.post(reverse("admin:catalog_guide_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    guide = Guide.objects.get(slug="admin-guide")
    assert guide.body_html == "<p>Hello <strong>there</strong></p>\n"
    assert {t.slug for t in guide.terms.all()} == {"stem", "region-1"}
    assert guide.links.get().url == "https://www.nlm.nih.gov/"


def test_coordinator_sees_and_edits_only_their_regions_guides(client):
    mine = make_guide("Mine", terms=[("regions", "region-2")])
    theirs = make_guide("Theirs", terms=[("regions", "region-6")])
    client.force_login(make_user("coord", role="coordinator", region=2))
    html = client.get(reverse("admin:catalog_guide_changelist")).content.decode()
    assert "Mine" in html
    assert "Theirs" not in html
    change = client.get(reverse("admin:catalog_guide_change", args=[mine.pk]))
    assert change.status_code == 200
    assert "Rendered body" in change.content.decode()
    assert client.get(reverse("admin:catalog_guide_change", args=[theirs.pk])).status_code in (302, 403, 404)


def test_coordinator_must_choose_their_own_region_in_the_admin(client):
    client.force_login(make_user("coord", role="coordinator", region=2))
    response = client.post(reverse("admin:catalog_guide_add"), form_data(entries=[term("topics", "stem").pk]))
    assert response.status_code == 200
    assert "Choose at least one of your regions" in response.content.decode()
    assert not Guide.objects.exists()
    # Another coordinator's region is not even offered.
    response = client.post(reverse("admin:catalog_guide_add"), form_data(entries=[term("regions", "region-6").pk]))
    assert response.status_code == 200
    assert not Guide.objects.exists()
    response = client.post(reverse("admin:catalog_guide_add"), form_data(entries=[term("regions", "region-2").pk]))
    assert response.status_code == 302
    assert Guide.objects.get().terms.get().slug == "region-2"


def test_preview_field_shows_the_sanitized_body(client):
    guide = make_guide("Preview me", body="**bold** <img src=x onerror=alert(1)>")
    client.force_login(make_user("staffer", role="staff"))
    html = client.get(reverse("admin:catalog_guide_change", args=[guide.pk])).content.decode()
    assert "<strong>bold</strong>" in html
    assert '<div class="guide-body"><p><strong>bold</strong> <img src="x"></p>' in html
    assert guide.get_absolute_url() in html


def test_people_without_a_role_do_not_reach_the_catalog_admin(client):
    client.force_login(make_user("visitor"))
    assert client.get(reverse("admin:catalog_guide_changelist")).status_code == 302


def test_guides_are_deleted_one_at_a_time_through_the_service(client):
    # Bulk delete would remove guides without guide_delete and its audit row, so the changelist does not offer it.
    client.force_login(make_user("staffer", role="staff"))
    make_guide("Doomed")
    response = client.get(reverse("admin:catalog_guide_changelist"))
    assert response.status_code == 200
    assert "delete_selected" not in response.content.decode()
    response = client.post(
        reverse("admin:catalog_guide_changelist"),
        {"action": "delete_selected", "_selected_action": [Guide.objects.get(title="Doomed").pk]},
    )
    assert Guide.objects.filter(title="Doomed").exists()


def test_view_on_site_reveals_only_guides_the_person_may_edit(client):
    # Found when the running site was attacked: /admin/r/<type>/<id>/ redirected a coordinator to the address of
    # another region's draft, so draft slugs could be listed by counting ids.
    from django.contrib.contenttypes.models import ContentType

    mine = make_guide("Mine", terms=[("regions", "region-2")], status=Guide.Status.DRAFT)
    theirs = make_guide("Their secret draft", terms=[("regions", "region-6")], status=Guide.Status.DRAFT)
    content_type = ContentType.objects.get_for_model(Guide).pk

    def view_on_site(guide_id):
        url = reverse("admin:view_on_site", kwargs={"content_type_id": content_type, "object_id": guide_id})
        return client.get(url)

    client.force_login(make_user("coord", role="coordinator", region=2))
    response = view_on_site(mine.pk)
    assert response.status_code == 302 and response["Location"].endswith(mine.get_absolute_url())
    response = view_on_site(theirs.pk)
    assert response.status_code == 404
    assert theirs.slug not in response.content.decode()
    assert view_on_site(999_999).status_code == 404
    client.force_login(make_user("staffer", role="staff"))
    assert view_on_site(theirs.pk)["Location"].endswith(theirs.get_absolute_url())
    client.logout()
    assert view_on_site(mine.pk)["Location"].startswith(reverse("admin:login"))


def test_links_and_files_edited_in_the_admin_go_through_the_services_with_audit_rows(client, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from crowdsci.catalog.models import GuideFile, GuideLink
    from crowdsci.core.models import AuditEntry

    settings.MEDIA_ROOT = tmp_path
    client.force_login(make_user("staffer", role="staff"))
    data = form_data(
        **{
            "files-TOTAL_FORMS": "1",
            "files-0-title": "Handout",
            "files-0-file": SimpleUploadedFile("handout.pdf", b"%PDF-1.4"),
            "files-0-position": "0",
        }
    )
    assert client.post(reverse("admin:catalog_guide_add"), data).status_code == 302
    guide = Guide.objects.get(slug="admin-guide")
    link, attached = GuideLink.objects.get(guide=guide), GuideFile.objects.get(guide=guide)

    def actions():
        entries = AuditEntry.objects.filter(object_type="catalog.guide", object_id=str(guide.pk)).order_by("pk")
        return [entry.action for entry in entries]

    assert actions() == ["catalog.guide.create", "catalog.guide.link_add", "catalog.guide.file_add"]

    # Change the link's address and remove the file.
    data = form_data(
        **{
            "links-INITIAL_FORMS": "1",
            "links-0-id": str(link.pk),
            "links-0-guide": str(guide.pk),
            "links-0-url": "https://www.nlm.nih.gov/news/",
            "files-TOTAL_FORMS": "1",
            "files-INITIAL_FORMS": "1",
            "files-0-id": str(attached.pk),
            "files-0-guide": str(guide.pk),
            "files-0-title": "Handout",
            "files-0-position": "0",
            "files-0-DELETE": "on",
        }
    )
    response = client.post(reverse("admin:catalog_guide_change", args=[guide.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert GuideLink.objects.get(guide=guide).url == "https://www.nlm.nih.gov/news/"
    assert not GuideFile.objects.filter(guide=guide).exists()
    assert actions()[3:] == ["catalog.guide.update", "catalog.guide.link_update", "catalog.guide.file_remove"]
