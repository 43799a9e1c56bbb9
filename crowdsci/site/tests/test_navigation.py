import pytest
from django.urls import reverse

from crowdsci.network.models import RoleAssignment
from crowdsci.network.tests.factories import make_user
from crowdsci.site.navigation import demo_loaders


@pytest.mark.django_db
def test_the_main_navigation_is_assembled_from_each_app_in_order(client):
    html = client.get(reverse("site-home")).content.decode()
    directory = html.index(reverse("network-directory"))
    assert html.index(reverse("catalog-browse")) < directory < html.index("Crowdsourcing &amp; Citizen Science")


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
