"""Counting cases taken from MediaWiki Cite's own parser tests (data: tests/data/wikicite/cite_parser_cases.json)."""

from __future__ import annotations

import json

import pytest

from crowdsci.wikicite import extract

from .corpus import DATA

CASES = json.loads((DATA / "cite_parser_cases.json").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[case["test"] for case in CASES])
def test_cite_parser_case(case: dict) -> None:
    page = extract(case["wikitext"])
    expect = case["expect"]
    assert page.definitions == expect["definitions"], "definitions"
    assert len(page.reuses) == expect["reuses"], "reuses"
    if "orphans" in expect:
        assert page.orphans == expect["orphans"], "orphans"
    if "errors" in expect:
        assert [error.code for error in page.errors] == expect["errors"]
    if "groups" in expect:
        assert page.groups == expect["groups"]
