from __future__ import annotations

import pytest

from crowdsci.catalog.tests.factories import ensure_reference_data


@pytest.fixture(autouse=True)
def _catalog_reference_data(request) -> None:
    # Regions and taxonomy come from data migrations, which a transactional test's flush removes for later tests
    # in the same worker; put them back for every test that uses the database.
    if request.node.get_closest_marker("django_db") is None and "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    ensure_reference_data()
