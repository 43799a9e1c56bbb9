"""A hyphenated word matches its parts and its joined form, on SQLite and PostgreSQL alike: "edit-a-thon",
"edit a thon" and "editathon" find the same guides, however each guide writes the word."""

import pytest

from crowdsci.catalog import fts
from crowdsci.catalog.selectors import guides_search
from crowdsci.catalog.tests.factories import make_guide


def found(query: str) -> set[str]:
    return {hit.guide.title for hit in guides_search(query, {})[:50]}


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["edit-a-thon", "edit a thon", "editathon", "Edit-A-Thon", "EDITATHON"])
def test_each_spelling_finds_the_guides_written_either_way(query):
    make_guide("Hosting an edit-a-thon", summary="A day of Wikipedia editing.")
    make_guide("Editathon checklist", summary="What to prepare.")
    make_guide("Editing Wikipedia alone", summary="Edit articles at home; no event is needed.")
    assert found(query) == {"Hosting an edit-a-thon", "Editathon checklist"}


@pytest.mark.django_db
def test_a_hyphenated_word_in_the_body_is_found_by_its_joined_form_and_highlighted():
    make_guide("Vaccines", summary="Shots.", body="Questions about COVID-19 vaccines from patrons.")
    make_guide("Coughs", summary="Colds.", body="Covid and 19 other causes.")
    assert found("covid19") == {"Vaccines"}
    assert found("COVID-19") == {"Vaccines"}
    hit = guides_search("covid-19", {})[:1][0]
    assert "<mark>" in hit.snippet_html


@pytest.mark.django_db
def test_the_other_operators_still_work_with_hyphens():
    make_guide("Hosting an edit-a-thon", summary="A day of Wikipedia editing for students.")
    make_guide("Editathon checklist", summary="What to prepare.")
    assert found("edit-a-thon -students") == {"Editathon checklist"}
    assert found('"what to prepare" or edit-a-thon') == {"Hosting an edit-a-thon", "Editathon checklist"}


def test_the_query_language_turns_a_hyphenated_word_into_its_parts_or_its_joined_form():
    assert fts.fts5_match_expression("edit-a-thon") == '("edit a thon" OR "editathon")'
    assert fts.fts5_match_expression("edit a thon") == '("edit" AND "thon") OR "editathon"'
    assert fts.tsquery_expression("edit-a-thon") == "(('edit' <-> 'a' <-> 'thon') | ('editathon'))"
    assert fts.joined_forms("An Edit-a-thon, COVID‑19 and edit-a-thon again") == ["editathon", "covid19"]
    # Only a few plain words are tried joined: a sentence is not one word written apart.
    assert fts.parse_query("how to run a library edit a thon").joined is None
    assert fts.parse_query('"edit a" thon').joined is None
