import pytest
from django.urls import reverse

from crowdsci.network.models import RoleAssignment
from crowdsci.network.tests.factories import make_user
from crowdsci.site.navigation import demo_loaders


@pytest.mark.django_db
def test_the_main_navigation_is_assembled_from_each_app_in_order(client):
    html = client.get(reverse("site-home")).content.decode()
    nav = html[html.index('class="main-nav"') : html.index("</nav>", html.index('class="main-nav"'))]
    all_guides = nav.index(f'href="{reverse("catalog-browse")}"')
    ccs = nav.index(f'href="{reverse("site-ccs")}"')
    assert all_guides < ccs < nav.index(f'href="{reverse("network-directory")}"')
    assert ">All guides<" in nav


@pytest.mark.django_db
def test_network_staff_find_the_ccs_page_editor_in_the_staff_menu(client):
    client.force_login(make_user("staffer", role=RoleAssignment.Role.STAFF))
    html = client.get(reverse("site-home")).content.decode()
    assert "Edit the Crowdsourcing &amp; Citizen Science page" in html
    assert reverse("admin:site_sitepage_add") in html


@pytest.mark.django_db
def test_the_staff_menu_lists_only_the_tools_the_person_may_use(client):
    assert "staff-menu" not in client.get(reverse("site-home")).content.decode()
    client.force_login(make_user("reader"))
    assert "staff-menu" not in client.get(reverse("site-home")).content.decode()
    client.force_login(make_user("coordinator", role=RoleAssignment.Role.COORDINATOR, region=2))
    html = client.get(reverse("site-home")).content.decode()
    assert "staff-menu" in html
    assert reverse("network-import") in html and reverse("catalog-review") in html


def test_demo_data_loads_network_first():
    labels = [config.label for config in demo_loaders()]
    assert labels[:2] == ["network", "catalog"]
