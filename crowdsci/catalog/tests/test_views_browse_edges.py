"""The browse page's rough edges: entries without results folded behind "show all", the filters in force as
removable chips, and advice on an empty result that depends on what was actually set."""

import pytest
from django.urls import reverse

from crowdsci.catalog.tests.factories import make_guide

BROWSE = reverse("catalog-browse")


def facet_block(html: str, legend: str) -> str:
    start = html.index(f"<legend>{legend}</legend>")
    return html[start : html.index("</fieldset>", start)]


@pytest.mark.django_db
def test_entries_without_results_are_folded_behind_show_all(client):
    make_guide("Plain words", terms=[("topics", "health-literacy")])
    html = client.get(BROWSE).content.decode()
    topics = facet_block(html, "Topics")
    folded = topics[topics.index('<details class="facet-more">') :]
    shown = topics[: topics.index('<details class="facet-more">')]
    assert 'value="health-literacy"' in shown
    assert 'value="graphic-medicine"' in folded and 'value="graphic-medicine"' not in shown
    assert "Show all (13 more without results)" in folded


@pytest.mark.django_db
def test_a_chosen_entry_stays_in_view_even_with_no_result(client):
    make_guide("Plain words", terms=[("topics", "health-literacy")])
    html = client.get(BROWSE, {"q": "plain", "topics": "graphic-medicine"}).content.decode()
    topics = facet_block(html, "Topics")
    shown = topics[: topics.index('<details class="facet-more">')]
    assert 'value="graphic-medicine" checked' in shown


@pytest.mark.django_db
def test_the_filters_in_force_are_chips_that_each_remove_one_filter(client):
    make_guide("Plain words", terms=[("topics", "health-literacy"), ("audiences", "public-libraries")])
    html = client.get(BROWSE, {"q": "plain", "topics": "health-literacy", "audiences": "public-libraries"}).content
    html = html.decode()
    chips = html[html.index('class="filter-chips"') : html.index('class="results-count"')]
    assert f'href="{BROWSE}?topics=health-literacy&amp;audiences=public-libraries"' in chips  # the search removed
    assert f'href="{BROWSE}?q=plain&amp;audiences=public-libraries"' in chips  # the topic removed
    assert f'href="{BROWSE}?q=plain&amp;topics=health-literacy"' in chips  # the audience removed
    assert "Topics:</span> <bdi>Health Literacy</bdi>" in chips
    assert f'class="clear-all" href="{BROWSE}"' in chips


@pytest.mark.django_db
def test_no_chips_and_no_clear_all_without_filters(client):
    html = client.get(BROWSE).content.decode()
    assert 'class="filter-chips"' not in html and "Clear all" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "advice", "not_said"),
    [
        ({"q": "zzzz"}, "Check the spelling", "Remove a filter"),
        ({"topics": "graphic-medicine"}, "Remove a filter above to see more guides.", "spelling"),
        ({"q": "zzzz", "topics": "graphic-medicine"}, "Remove a filter above, or try other words.", "spelling"),
    ],
)
def test_an_empty_result_advises_on_what_was_actually_set(client, params, advice, not_said):
    make_guide("Plain words", terms=[("topics", "health-literacy")])
    html = client.get(BROWSE, params).content.decode()
    empty = html[html.index('class="empty-state"') :]
    assert advice in empty
    assert not_said not in empty
    assert "fewer filters" not in html
