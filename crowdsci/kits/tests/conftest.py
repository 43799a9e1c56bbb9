from __future__ import annotations

import pytest

from crowdsci.kits.tests.factories import make_kit_type
from crowdsci.network.tests.factories import make_user


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded and demo audio go to a temporary folder, never the working copy's media/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def kit_type(db):
    return make_kit_type()


@pytest.fixture
def staff(db):
    return make_user("kits-staff", role="staff")


@pytest.fixture
def rep2(db):
    """The regional representative (coordinator) of Region 2 (GA, FL, ...)."""
    return make_user("rep2", role="coordinator", region=2)


@pytest.fixture
def rep5(db):
    return make_user("rep5", role="coordinator", region=5)
