import pytest

from crowdsci.catalog.rendering import MATCH_END, MATCH_START, html_to_text, mark_highlights, render_markdown


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        '<img src="x.png" onerror="alert(1)">',
        "[click](javascript:alert(1))",
        '<a href="javascript:alert(1)">click</a>',
        '<a href="JaVaScRiPt:alert(1)">click</a>',
        '<p style="color:red" onclick="alert(1)">styled</p>',
        "<iframe src='https://example.org'></iframe>",
        '<svg onload="alert(1)"></svg>',
        "<style>body{display:none}</style>",
        '<div class="x" id="y">classes</div>',
    ],
)
def test_dangerous_markup_renders_inert(source):
    html = render_markdown(source).lower()
    forbidden = ["<script", "onerror", "onclick", "onload", "style=", "<style", "<iframe", "<svg", "class="]
    for needle in forbidden:
        assert needle not in html
    # A javascript: address may stay as visible text, never as a link target.
    assert '="javascript:' not in html
    assert "href" not in html or 'href="http' in html


def test_markdown_renders_and_keeps_safe_links():
    html = render_markdown("# Heading\n\nSome *text* and [a link](https://example.org/page).")
    assert "<h2>Heading</h2>" in html  # the page title is the only h1
    assert "<em>text</em>" in html
    assert 'href="https://example.org/page"' in html
    assert 'rel="noopener noreferrer"' in html


def test_script_text_is_dropped_not_shown():
    assert "alert" not in render_markdown("before <script>alert('x')</script> after")


def test_html_to_text_gives_words_only():
    assert html_to_text("<h2>Title</h2><p>One &amp; <em>two</em></p>") == "Title One & two"


def test_mark_highlights_escapes_everything_but_the_marks():
    raw = f'<b>bold</b> {MATCH_START}match{MATCH_END} & "quotes" {MATCH_START}<script>{MATCH_END}'
    html = str(mark_highlights(raw))
    assert html == ("&lt;b&gt;bold&lt;/b&gt; <mark>match</mark> &amp; &quot;quotes&quot; <mark>&lt;script&gt;</mark>")


def test_mark_highlights_handles_unbalanced_markers():
    assert str(mark_highlights(f"a{MATCH_END}b{MATCH_START}c")) == "abc"
    assert str(mark_highlights(f"{MATCH_START}a{MATCH_START}b{MATCH_END}")) == "a<mark>b</mark>"
    assert str(mark_highlights("")) == ""


def test_match_markers_in_guide_text_are_removed_before_indexing():
    assert MATCH_START not in render_markdown(f"x{MATCH_START}y")
