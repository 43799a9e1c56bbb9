"""Test helpers shared by every app, importing no app: the test password, an axe-core check for browser tests,
and a runner for real concurrency tests on PostgreSQL.

Factories for users and organizations live with their app: ``crowdsci.network.tests.factories``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, connections

PASSWORD = "correct-horse-battery-staple-42"  # noqa: S105 -- a test-only password


def axe_serious_violations(page) -> list[dict]:
    """Run axe-core (vendored from the npm registry) in the page; return serious and critical violations.

    The script is loaded from our own static files, so the page's Content-Security-Policy allows it as is.
    """
    page.add_script_tag(url=settings.STATIC_URL + "vendor/axe/axe.min.js")
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": violation["id"], "impact": violation["impact"], "nodes": [n["target"] for n in violation["nodes"]][:5]}
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


@dataclass
class Outcome:
    """What one concurrent call did: its result, or the exception it raised."""

    index: int
    result: Any = None
    error: BaseException | None = None


def run_concurrently(
    function: Callable[[int], Any], count: int, *, timeout: float = 60.0
) -> list[Outcome]:
    """Call ``function(i)`` for i in 0..count-1, each in its own thread with its own database connection, all
    released at once from a barrier so they really overlap; return every outcome in index order.

    For races on PostgreSQL (SQLite serializes writers): use it from a ``transactional_db`` test, since each
    thread commits for real and must see what the test created. Each thread closes its connection at the end.
    """
    barrier = threading.Barrier(count)
    outcomes = [Outcome(index=index) for index in range(count)]

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=timeout)
            outcomes[index].result = function(index)
        except BaseException as error:
            outcomes[index].error = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,), daemon=True) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        if thread.is_alive():
            raise TimeoutError("a concurrent call did not finish in time (deadlock?)")
    return outcomes


def database_is_postgresql() -> bool:
    return connection.vendor == "postgresql"
