"""The resources page in Arabic: right-to-left, Arabic first, a track plays; axe-core finds nothing serious."""

import pytest
from playwright.sync_api import expect

from crowdsci.core.testing import axe_serious_violations
from crowdsci.kits import services
from crowdsci.kits.audio_demo import TRACK_TITLES, tone_wav
from crowdsci.kits.tests.factories import make_kit_type


@pytest.mark.django_db(transaction=True)
def test_arabic_resources_page_plays_a_track(live_server, page):
    make_kit_type()
    for language in ("ar", "en"):
        for number in (1, 2):
            services.audio_track_upload(
                actor=None,
                language=language,
                number=number,
                title=TRACK_TITLES[language][number - 1],
                transcript=TRACK_TITLES[language][number - 1],
                data=tone_wav(number, seconds=2.0),
            )
    page.context.add_cookies([{"name": "django_language", "value": "ar", "url": live_server.url}])
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(live_server.url + "/kits/resources/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    first = page.locator("details.kits-language").first
    expect(first).to_have_attribute("lang", "ar")
    expect(first).to_have_attribute("dir", "rtl")
    expect(first).to_have_attribute("open", "")  # the visitor's language is open, the others folded
    expect(page.locator("details#language-en")).not_to_have_attribute("open", "")
    expect(page.locator("button[data-kits-print]")).to_be_visible()  # shown by the static script
    assert axe_serious_violations(page) == []

    audio = first.locator("audio").first
    expect(audio).to_have_accessible_name("1. " + TRACK_TITLES["ar"][0])
    audio.evaluate(
        "a => { window.__played = false; a.addEventListener('playing', () => { window.__played = true; }); }"
    )
    audio.focus()
    page.keyboard.press("Space")  # keyboard operable: the focused player starts on Space
    page.wait_for_function("() => window.__played === true", timeout=10_000)
    assert audio.evaluate("a => !a.paused && a.currentTime >= 0")
    assert audio.evaluate("a => a.duration") == pytest.approx(2.0, abs=0.05)
    assert blocked == []
