"""MediaWiki's username rules, as registration checks them before asking the API."""

from __future__ import annotations

import pytest

from crowdsci.campaigns.usernames import normalize, username_problem


@pytest.mark.parametrize(
    ("given", "stored"),
    [("rosalind_franklin", "Rosalind franklin"), ("  Two   spaces ", "Two spaces"), ("émile", "Émile"),
     ("Ada_Lovelace", "Ada Lovelace")],
)
def test_names_are_normalized_as_mediawiki_stores_them(given: str, stored: str):
    assert normalize(given) == stored
    assert username_problem(given) is None


@pytest.mark.parametrize(
    "name",
    ["", "   ", "192.168.0.1", "2001:db8::1", "A#B", "A<b>", "[[Link]]", "Pipe|name", "Brace{", "Sub/page",
     "User:Someone", "someone@enwiki", "Tab\tname", "Zero\u200bwidth", "Bidi\u202ename", "x" * 256, "é" * 128],
)
def test_names_mediawiki_refuses_are_refused_with_a_reason(name: str):
    assert username_problem(name)


def test_the_byte_limit_is_in_bytes_not_characters():
    assert username_problem("a" * 255) is None
    assert username_problem("é" * 127) is None  # 254 bytes
    assert username_problem("é" * 128)  # 256 bytes
