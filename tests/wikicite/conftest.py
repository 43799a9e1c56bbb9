"""The citation engine is pure Python: its tests need neither Django's settings nor its cache.

The project-wide autouse fixtures touch both; these same-named fixtures replace them for this folder, so
`pytest tests/wikicite -p no:django` works as well as a full run.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _tasks_run_immediately() -> None:
    return None


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    return None
