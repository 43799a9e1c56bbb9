import datetime

import pytest

from crowdsci.catalog.selectors import (
    guide_is_editable_by,
    guides_editable_by,
    guides_needing_review,
    guides_recently_reviewed,
)
from crowdsci.catalog.tests.factories import make_guide
from crowdsci.network.tests.factories import make_user

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 1)


def test_editing_scope_by_role():
    region_3 = make_guide("R3", terms=[("regions", "region-3")])
    both = make_guide("R3 and R4", terms=[("regions", "region-3"), ("regions", "region-4")])
    network_wide = make_guide("Everywhere")
    coordinator = make_user("coord", role="coordinator", region=3)
    staff = make_user("staffer", role="staff")
    visitor = make_user("visitor")
    assert list(guides_editable_by(coordinator)) == [region_3]
    assert set(guides_editable_by(staff)) == {region_3, both, network_wide}
    assert not guides_editable_by(visitor).exists()
    assert guide_is_editable_by(coordinator, region_3)
    assert not guide_is_editable_by(coordinator, both)


def test_review_lists_use_the_configured_age(settings):
    settings.CATALOG_REVIEW_AGE_DAYS = 30
    make_guide("Fresh", last_reviewed=TODAY - datetime.timedelta(days=30))
    make_guide("Old", last_reviewed=TODAY - datetime.timedelta(days=31))
    make_guide("Older", last_reviewed=TODAY - datetime.timedelta(days=300))
    make_guide("Never")
    staff = make_user("staffer", role="staff")
    assert [g.title for g in guides_needing_review(staff, today=TODAY)] == ["Never", "Older", "Old"]
    assert [g.title for g in guides_recently_reviewed(staff, today=TODAY)] == ["Fresh"]


def test_review_lists_are_scoped_for_coordinators():
    make_guide("Mine", terms=[("regions", "region-2")])
    make_guide("Theirs", terms=[("regions", "region-5")])
    coordinator = make_user("coord", role="coordinator", region=2)
    assert [g.title for g in guides_needing_review(coordinator, today=TODAY)] == ["Mine"]
