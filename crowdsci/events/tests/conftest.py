from __future__ import annotations

import pytest

from crowdsci.catalog.tests.factories import ensure_reference_data


@pytest.fixture(autouse=True)
def _catalog_terms(request) -> None:
    # Audiences and topics come from the catalog's data migration, which a transactional test's flush removes.
    if request.node.get_closest_marker("django_db") is None and "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    ensure_reference_data()
