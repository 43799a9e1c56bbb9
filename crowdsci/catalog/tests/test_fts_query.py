import pytest

from crowdsci.catalog.fts import fts5_match_expression, parse_query


def test_words_are_quoted_and_all_required():
    # ... or, for a few plain words, the same written as one word (see test_search_hyphens.py).
    assert fts5_match_expression("health literacy") == '("health" AND "literacy") OR "healthliteracy"'


def test_phrases_alternatives_and_exclusions():
    assert fts5_match_expression('"plain language" guide') == '"plain language" AND "guide"'
    assert fts5_match_expression("kits or waters") == '("kits" OR "waters")'
    assert fts5_match_expression("water -lead") == '("water") NOT "lead"'


def test_stop_words_and_punctuation_only_give_nothing():
    assert fts5_match_expression("the and of") is None
    assert fts5_match_expression("AND OR (") is None
    assert fts5_match_expression("") is None
    assert parse_query("-only").is_empty


@pytest.mark.parametrize("text", ['"foo', "AND OR (", "NEAR(a b)", "*", "a:b", "col:term", '"""', "-", "^x", "x)"])
def test_hostile_input_never_leaks_syntax(text):
    expression = fts5_match_expression(text)
    if expression is not None:
        # Outside quoted strings only our own operators and parentheses remain.
        assert set("".join(expression.split('"')[::2])) <= set(" ()ANDORT")


def test_words_joined_by_an_operator_character_are_separate_words_as_on_postgresql():
    # websearch_to_tsquery reads & | ( ) ! : < as operators: 'title:x' is 'titl' & 'x'; other punctuation joins a
    # phrase ('1=1' is '1' <-> '1').
    assert fts5_match_expression("title:x") == '"title" AND "x"'
    assert fts5_match_expression("-title:x") == '("x") NOT "title"'
    assert fts5_match_expression("health(literacy)") == '"health" AND "literacy"'
    assert fts5_match_expression("1=1") == '"1 1"'
