import pytest

from crowdsci.core.testing import axe_serious_violations


@pytest.mark.django_db(transaction=True)
def test_home_page_is_accessible_and_loads_no_blocked_resources(live_server, page):
    blocked: list[str] = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.goto(live_server.url + "/")
    assert page.locator("h1").first.is_visible()
    assert axe_serious_violations(page) == []
    assert blocked == []
