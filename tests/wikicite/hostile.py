"""Hostile and dense inputs of any size, for the linear-work tests (test_robustness) and bench/bench_wikicite.py.

Each entry makes a text of about `size` characters: hostile ones attack a path that would go quadratic
without its guard (a rescan from every opening, a nesting copy, a backtracking regex); dense ones are
ordinary markup packed tight (20-80 footnotes per KB against 1-3 in articles), which do real work per
citation and so cost more per byte, by a constant factor.
"""

from __future__ import annotations

from collections.abc import Callable

from .corpus import PAGES


def repeat(fragment: str, size: int) -> str:
    return (fragment * (size // len(fragment) + 1))[:size]


def ordinary(size: int) -> str:
    """Real articles (the corpus pages, one after the other) cut or repeated to `size` characters."""
    text = "".join(path.read_text(encoding="utf-8") for path in sorted(PAGES.glob("*.wikitext")))
    return repeat(text, size)


HOSTILE: dict[str, Callable[[int], str]] = {
    "open braces": lambda size: "{{" * (size // 2),
    "deep closed nesting": lambda size: "{{a|" * (size // 8) + "}}" * (size // 8),
    "unclosed refs": lambda size: repeat("<ref>", size),
    "ref full of ref openings": lambda size: "<ref>" + repeat("<ref ", size) + "</ref>",
    "ref openings and no '>' at all": lambda size: repeat("<ref ", size),
    "ref full of tags": lambda size: "<ref>" + repeat("<b>", size) + "</ref>",
    "unclosed tags of many names": lambda size: "<ref>" + "".join(f"<t{i}>" for i in range(size // 8)) + "</ref>",
    "unterminated attribute quote": lambda size: "<ref name=" + repeat('"', size) + ">",
    "unclosed comments": lambda size: repeat("<!--", size),
    "unclosed links": lambda size: repeat("[[", size),
    "pipes": lambda size: "{{a" + repeat("|", size) + "}}",
    "braces in a ref": lambda size: "<ref>" + repeat("{{", size) + "</ref>",
    "urls in a ref": lambda size: "<ref>" + repeat("http://a.b/c ", size) + "</ref>",
    "lone angle brackets": lambda size: repeat("<", size),
    "NUL and odd unicode": lambda size: repeat("\x00\u202e\U0001f600\ud7ff<ref>\r\n", size),
}
DENSE: dict[str, Callable[[int], str]] = {
    "tiny refs": lambda size: repeat("<ref>x</ref>", size),
    "tiny named refs": lambda size: repeat("<ref name=a>x</ref>", size),
    "reuses": lambda size: repeat("<ref name=a/>", size),
    "sfn": lambda size: repeat("{{sfn|a|b}}", size),
    "tag refs": lambda size: repeat("{{#tag:ref|x}}", size),
    "citation needed everywhere": lambda size: repeat("{{cn}}", size),
}
