"""One wording for signing in and up: the header's link, the page's title, heading and button say the same."""

import re

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize(("url_name", "msgid"), [("account_login", "Sign in"), ("account_signup", "Sign up")])
def test_the_header_and_the_page_use_the_same_words(client, language, url_name, msgid):
    from django.utils import translation

    client.cookies["django_language"] = language
    html = client.get(reverse(url_name)).content.decode()
    with translation.override(language):
        words = translation.gettext(msgid)
    assert f'<a href="{reverse(url_name)}">{words}</a>' in html  # the header
    assert re.search(rf"<title>\s*{re.escape(words)}\s*·", html)
    assert re.search(rf"<h1>\s*{re.escape(words)}\s*</h1>", html)
    assert re.search(rf"<button[^>]*>\s*{re.escape(words)}\s*</button>", html)
