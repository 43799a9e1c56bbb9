"""Project-wide pytest set-up: the test profile, immediate tasks, and Playwright on Debian's Chromium."""

from __future__ import annotations

import os
import shutil

import pytest

os.environ.setdefault("CROWDSCI_PROFILE", "test")
# live_server tests touch the ORM from the same thread Playwright's event loop runs in.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _django_is_set_up(request) -> bool:
    # The pure packages' tests also run with `-p no:django`; then these fixtures have nothing to do.
    return request.config.pluginmanager.hasplugin("django")


@pytest.fixture(autouse=True)
def _tasks_run_immediately(request):
    if not _django_is_set_up(request):
        yield
        return
    from django.test import override_settings

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache(request) -> None:
    # Rate-limit counters live in the cache; one test's requests must not throttle the next.
    if _django_is_set_up(request):
        from django.core.cache import cache

        cache.clear()


@pytest.fixture(autouse=True)
def _english_between_tests(request):
    # A request in another language leaves that language active in the thread; views called directly (with
    # RequestFactory) would otherwise render in whatever language the previous test used.
    yield
    if _django_is_set_up(request):
        from django.utils import translation

        translation.activate("en")


class _ReferenceData:
    # Set once a transactional test of this process has run: its teardown flushes every table, data loaded by the
    # migrations included.
    flushed = False


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences") or (marker.args and marker.args[0])
    ):
        return True
    return any(name in request.fixturenames for name in ("transactional_db", "live_server"))


@pytest.fixture(autouse=True)
def _reference_data(request):
    """The regions, states, affiliations and catalog taxonomy that the data migrations load, for every test that
    uses the database.

    pytest-django runs the plain database tests first, each in a transaction rolled back after it, so they find
    the migrations' rows and nothing is done for them. A transactional test (live_server, browser tests) commits
    and is flushed afterwards: it loads the rows itself, and from then on every test in this process does, until
    it ends (a plain test's load is rolled back with it).
    """
    if not _django_is_set_up(request):
        yield
        return
    transactional = _is_transactional(request)
    if request.node.get_closest_marker("django_db") is None:
        if transactional:
            request.getfixturevalue("transactional_db")
        elif "db" in request.fixturenames:
            request.getfixturevalue("db")
        else:
            yield
            return
    if transactional or _ReferenceData.flushed:
        from crowdsci.catalog.taxonomy_data import ensure_taxonomy
        from crowdsci.network.reference_data import ensure_reference_data

        ensure_reference_data()
        ensure_taxonomy()
    yield
    if transactional:
        _ReferenceData.flushed = True


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM_PATH):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM_PATH} is missing; CI must run the browser tests (make browser-deps installs it).")
        pytest.skip(f"{CHROMIUM_PATH} is missing: run `make browser-deps` to install Debian's chromium.")
    return {**browser_type_launch_args, "executable_path": CHROMIUM_PATH, "args": CHROMIUM_ARGS}


def pytest_collection_modifyitems(config, items) -> None:
    # Playwright's fixtures are only for tests that ask for a page; mark them so `-m "not browser"` is quick.
    for item in items:
        if "page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


def pytest_report_header(config) -> str:
    return f"chromium: {shutil.which('chromium') or 'missing'}; database: {os.environ.get('DATABASE_URL', 'sqlite')}"


@pytest.fixture
def one_ratelimit_window(monkeypatch):
    """django-ratelimit counts in clock-aligned windows (a minute for "10/m"): a test that sends a burst on a slow
    machine can cross into the next window halfway and never see its 429. This keeps every request of the test in
    one hour-long window, so the count is the test's own."""
    import django_ratelimit.core

    window = django_ratelimit.core._get_window
    monkeypatch.setattr(django_ratelimit.core, "_get_window", lambda value, period: window("fixed", 3600))
