"""The demo campaign: the real CRISPR history tracked through the pipeline; loading it twice adds nothing."""

from __future__ import annotations

import pytest

from crowdsci.campaigns import demo
from crowdsci.campaigns.models import Campaign, TrackedEdit
from crowdsci.campaigns.tracking import aggregates

pytestmark = pytest.mark.django_db


def test_the_demo_tracks_real_edits_and_loads_twice_without_duplicates():
    demo.load_demo_campaign()
    campaign = Campaign.objects.get(slug=demo.DEMO_SLUG)
    first = sorted(TrackedEdit.objects.values_list("revid", "status", "citations_added"))
    demo.load_demo_campaign()
    assert sorted(TrackedEdit.objects.values_list("revid", "status", "citations_added")) == first
    assert Campaign.objects.count() == 1
    history = demo.history()
    real = {revision["revid"]: revision for revision in history}
    assert len(first) == len(history[1:]) // demo.TAG_EVERY  # every second edit is tagged; none is by the bot
    assert {status for _revid, status, _added in first} == {"credited", "reverted"}
    assert all(added is not None for _revid, _status, added in first)
    for edit in TrackedEdit.objects.all():
        assert edit.user == real[edit.revid]["user"]
        assert edit.summary.removesuffix(" #CiteNLM").removesuffix("#CiteNLM") == real[edit.revid]["comment"]
        assert demo.DEMO_START <= edit.timestamp < demo.DEMO_END
    assert aggregates.drift(campaign) == []
    assert campaign.aggregates.get(kind="total").edits > 0


def test_reverts_are_read_from_the_real_summaries():
    reverted = demo.reverted_revids(demo.history())
    assert 747638946 in reverted  # the 1.6 MB vandal copy, undone by David Biddulph
    assert 747491219 in reverted  # reverted by ClueBot NG
    assert 747949972 not in reverted
