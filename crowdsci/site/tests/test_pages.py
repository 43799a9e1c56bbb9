import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_home_page_has_a_search_box_the_categories_and_the_programs(client: Client):
    from crowdsci.catalog.taxonomy_data import ensure_taxonomy

    ensure_taxonomy()
    response = client.get(reverse("site-home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'action="{reverse("catalog-browse")}"' in html and 'name="q"' in html
    for category in ("membership", "funding", "training", "topics", "audiences", "regions", "resource-sharing"):
        assert f'href="{reverse("catalog-category", args=[category])}"' in html
    assert "Benefits of joining the network" in html  # a category's description
    assert f'href="{reverse("site-ccs")}"' in html
    assert 'href="#main"' in html  # the skip link


@pytest.mark.django_db
def test_page_titles_end_with_the_network_short_name_and_a_favicon_is_linked(client: Client, settings):
    settings.NETWORK_SHORT_NAME = "NNLM"
    html = client.get(reverse("network-directory")).content.decode()
    assert "<title>Member directory · NNLM</title>" in html
    assert 'rel="icon"' in html
    assert client.get("/favicon.ico").status_code == 301


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
    # "Skip to main content" and "Member directory" must not appear in English.
    for english in ("Skip to main content", "Member directory"):
        assert english not in html, f"{english!r} is untranslated in {language}"


def test_server_error_page_renders_without_a_request_context(rf):
    from crowdsci.core.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


@pytest.mark.django_db
def test_permission_denied_page_is_friendly(rf):
    from crowdsci.core.views import permission_denied
    from crowdsci.network.tests.factories import make_user

    request = rf.get("/")
    request.user = make_user("reader")
    response = permission_denied(request)
    assert response.status_code == 403
    assert b"You do not have permission" in response.content


@pytest.mark.django_db
def test_a_page_that_needs_an_account_sends_an_anonymous_visitor_to_sign_in(client: Client):
    response = client.get(reverse("catalog-review"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={reverse('catalog-review')}"


@pytest.mark.django_db
def test_someone_signed_in_without_the_role_still_gets_access_denied(client: Client):
    from crowdsci.network.tests.factories import make_user

    client.force_login(make_user("reader"))
    response = client.get(reverse("catalog-review"))
    assert response.status_code == 403
    assert "You do not have permission" in response.content.decode()
