"""A word with a slash or a dot inside ("HIV/AIDS", "ClinicalTrials.gov") is found on PostgreSQL as on SQLite.

PostgreSQL's parser keeps such a word whole (a file path, a host name), while the reader's query reads its parts as a
phrase; guides index the parts too (``fts.search_words``)."""

import pytest

from crowdsci.catalog import fts
from crowdsci.catalog.models import Guide
from crowdsci.catalog.selectors import guides_search
from crowdsci.catalog.tests.factories import make_guide


def found(query: str) -> set[str]:
    return {hit.guide.title for hit in guides_search(query, {})[:50]}


def test_split_forms_are_the_parts_of_slashed_dotted_and_at_words_once():
    text = "HIV/AIDS and hiv/aids at ClinicalTrials.gov; write to help@example.org. Not a sentence.end"
    assert fts.split_forms(text) == ["hiv aids", "clinicaltrials gov", "help example org", "sentence end"]
    assert fts.split_forms("plain words only") == []
    assert fts.search_words("edit-a-thon on HIV/AIDS") == "editathon\nhiv aids"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["HIV/AIDS", "hiv aids", '"HIV/AIDS"'])
def test_a_slashed_word_is_found_by_its_parts(query):
    make_guide("HIV/AIDS resources", summary="Federal sources.")
    make_guide("Hearing aids", summary="For patrons with hearing loss.")
    assert found(query) == {"HIV/AIDS resources"}


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["ClinicalTrials.gov", "clinicaltrials gov"])
def test_a_site_name_in_the_body_is_found(query):
    make_guide("Finding a study", summary="Trials.", body="Search ClinicalTrials.gov by condition.")
    make_guide("Government", summary="Gov.", body="The clinical trials of government.")
    assert found(query) == {"Finding a study"}


@pytest.mark.django_db
def test_a_new_guide_indexes_the_parts_of_its_slashed_words():
    guide = make_guide("About HIV/AIDS", summary="S.")
    assert Guide.objects.get(pk=guide.pk).search_words == "hiv aids"
