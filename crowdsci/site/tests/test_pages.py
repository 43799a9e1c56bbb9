import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_home_page_lists_the_catalog_and_marks_programs_not_built_yet_as_coming(client: Client):
    response = client.get(reverse("site-home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Crowdsourcing &amp; Citizen Science" in html
    assert "coming soon" in html
    assert 'href="#main"' in html  # the skip link


@pytest.mark.django_db
def test_every_page_carries_a_content_security_policy_without_inline_code(client: Client):
    policy = client.get(reverse("site-home")).headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_unknown_page_gets_the_friendly_404(client: Client, settings):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "We could not find the page you asked for." in response.content.decode()


@pytest.mark.django_db
def test_switching_to_arabic_renders_right_to_left(client: Client):
    response = client.post(reverse("set_language"), {"language": "ar", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "ko", "vi", "zh-hans", "ar"])
def test_navigation_and_buttons_are_translated_in_every_language(client: Client, language: str):
    client.cookies["django_language"] = language
    html = client.get(reverse("site-home")).content.decode()
    assert f'lang="{language}"' in html
    # "Skip to main content", "Log in" and "Crowdsourcing & Citizen Science" must not appear in English.
    for english in ("Skip to main content", ">Log in<", "Member directory"):
        assert english not in html, f"{english!r} is untranslated in {language}"


def test_server_error_page_renders_without_a_request_context(rf):
    from crowdsci.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


@pytest.mark.django_db
def test_permission_denied_page_is_friendly(rf):
    from django.contrib.auth.models import AnonymousUser

    from crowdsci.core.views import permission_denied

    request = rf.get("/")
    request.user = AnonymousUser()
    response = permission_denied(request)
    assert response.status_code == 403
    assert b"You do not have permission" in response.content
