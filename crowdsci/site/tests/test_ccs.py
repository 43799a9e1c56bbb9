import pytest
from django.apps import apps
from django.urls import reverse

from crowdsci.core.models import AuditEntry
from crowdsci.core.navigation import ProgramCard
from crowdsci.network.models import RoleAssignment
from crowdsci.network.tests.factories import make_user
from crowdsci.site.demo import load_demo_site
from crowdsci.site.errors import SiteError
from crowdsci.site.models import SitePage
from crowdsci.site.services import site_page_save


@pytest.mark.django_db
def test_the_ccs_page_shows_the_networks_text_sanitized_and_in_its_language(client):
    site_page_save(
        actor=None,
        key="ccs",
        title="Crowdsourcing and Citizen Science",
        summary="Why it matters.",
        body="## Why\n\nCommunities and researchers.<script>alert(1)</script>",
        language="en",
    )
    client.cookies["django_language"] = "ar"
    html = client.get(reverse("site-ccs")).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert 'lang="en" dir="ltr"' in html  # the English text inside the Arabic page keeps its direction
    assert "<h2>Why</h2>" in html and "Communities and researchers." in html
    assert "<script>alert" not in html


@pytest.mark.django_db
def test_without_its_text_the_ccs_page_still_lists_the_three_programs(client):
    html = client.get(reverse("site-ccs")).content.decode()
    for program in ("#CiteNLM Wikipedia edit-a-thons", "Citizen Science Month", "Test the Waters kits"):
        assert program in html


@pytest.mark.django_db
def test_a_program_without_a_card_is_coming_soon_and_one_with_a_card_links_to_its_page(client, monkeypatch):
    kits = apps.get_app_config("kits")
    card = ProgramCard(label="Borrow a water kit", url="/kits/", status="Requests open")
    monkeypatch.setattr(kits, "program_card", lambda request: card, raising=False)
    monkeypatch.setattr(apps.get_app_config("events"), "program_card", lambda request: None)  # nothing to show
    html = client.get(reverse("site-home")).content.decode()
    assert '<a href="/kits/">Borrow a water kit</a>' in html and "Requests open" in html
    events = html[html.index("<h3>Citizen Science Month") :]  # the card, not the navigation entry
    assert events.index("coming soon") < events.index("</li>")


@pytest.mark.django_db
def test_only_network_staff_edit_the_page_and_each_edit_is_audited():
    coordinator = make_user("coordinator", role=RoleAssignment.Role.COORDINATOR, region=2)
    with pytest.raises(SiteError):
        site_page_save(actor=coordinator, key="ccs", title="Mine", summary="", body="", language="en")
    staffer = make_user("staffer", role=RoleAssignment.Role.STAFF)
    page = site_page_save(actor=staffer, key="ccs", title="Ours", summary="", body="*Hi*", language="es")
    assert page.body_html == "<p><em>Hi</em></p>\n"
    entry = AuditEntry.objects.get(object_id=str(page.pk), object_type="site.sitepage")
    assert (entry.actor, entry.action) == (staffer, "site_page.create")


@pytest.mark.django_db
def test_the_demo_text_is_loaded_once_and_never_over_staff_edits():
    load_demo_site()
    site_page_save(actor=None, key="ccs", title="Edited by staff", summary="", body="", language="en")
    load_demo_site()
    assert SitePage.objects.get().title == "Edited by staff"


@pytest.mark.django_db
def test_staff_edit_the_page_in_the_admin_through_the_service(client):
    staffer = make_user("staffer", role=RoleAssignment.Role.STAFF)
    client.force_login(staffer)
    response = client.post(
        reverse("admin:site_sitepage_add"),
        {"key": "ccs", "title": "Citizen science", "summary": "Lead", "language": "en", "body": "**Bold**"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = SitePage.objects.get()
    assert page.body_html == "<p><strong>Bold</strong></p>\n"
    assert AuditEntry.objects.filter(action="site_page.create", actor=staffer).exists()


@pytest.mark.django_db
def test_the_kits_card_links_to_the_kits_and_says_when_shipping_is_paused(client):
    from crowdsci.kits.models import ShippingHold

    html = client.get(reverse("site-home")).content.decode()
    assert f'<a href="{reverse("kits-index")}">Test the Waters kits</a>' in html and "Requests open" in html
    ShippingHold.objects.update_or_create(pk=1, defaults={"is_on": True})
    html = client.get(reverse("site-home")).content.decode()
    assert "Shipping paused: requests are still taken" in html
