"""The public page cache on the real site (crowdsci.core.pagecache; its rules are tested in core)."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import get_resolver, reverse

from crowdsci.network.models import RoleAssignment
from crowdsci.network.tests.factories import make_user


@pytest.fixture
def cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield settings
    cache.clear()


def test_every_cached_view_name_is_a_real_public_url_name():
    names = {name for name in get_resolver().reverse_dict if isinstance(name, str)}
    assert names >= settings.PUBLIC_PAGE_CACHE_VIEWS, settings.PUBLIC_PAGE_CACHE_VIEWS - names
    forbidden = {"manage", "review", "edit", "import", "export", "csv", "register", "request", "signup", "status",
                 "claim", "pin", "leave", "registrations", "cancel", "create", "new", "upload", "reports", "hold"}
    assert not [name for name in settings.PUBLIC_PAGE_CACHE_VIEWS if forbidden & set(name.split("-"))]


def test_off_in_development_and_tests():
    assert settings.PUBLIC_PAGE_CACHE_SECONDS == 0


@pytest.mark.django_db
def test_what_staff_see_never_reaches_an_anonymous_reader(cache_on):
    staff = Client()
    staff.force_login(make_user("staffer", role=RoleAssignment.Role.STAFF))
    assert "staff-menu" in staff.get(reverse("site-home")).content.decode()
    anonymous = Client()
    assert "staff-menu" not in anonymous.get(reverse("site-home")).content.decode()
    assert "staff-menu" in staff.get(reverse("site-home")).content.decode(), "staff still get their own page"


@pytest.mark.django_db
def test_the_language_switch_on_a_cached_home_page_works_for_a_second_reader(cache_on):
    Client().get(reverse("site-home"))  # stores the page
    reader = Client(enforce_csrf_checks=True)
    html = reader.get(reverse("site-home")).content.decode()
    form = html[html.index('class="language-switcher"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = reader.post(reverse("set_language"), {"csrfmiddlewaretoken": token, "language": "es", "next": "/"})
    assert response.status_code == 302
    assert reader.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert 'lang="es"' in reader.get(reverse("site-home")).content.decode()
