"""Sorting names the way a reader of the active language expects, without ICU.

``collation_key`` ignores case and accents (tone marks, hamza on its carrier, the acute in "Hawái"), except for the
letters an alphabet counts as letters of their own: Spanish ñ after n; Vietnamese ă and â after a, đ after d, ê
after e, ô and ơ after o, ư after u. Arabic, Korean (Hangul decomposes into jamo in alphabet order) and Latin
scripts then follow code point order, which is their alphabetical order; Chinese characters follow the Unicode
radical-and-stroke order, the order of a character dictionary (pinyin order would need ICU's data, which this
project does not install).
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import get_language

# (base letter, combining mark) -> rank after the plain letter, per language.
_LETTER_MARKS: dict[str, dict[tuple[str, str], int]] = {
    "es": {("n", "\u0303"): 1},
    "vi": {
        ("a", "\u0306"): 1,  # ă
        ("a", "\u0302"): 2,  # â
        ("e", "\u0302"): 1,  # ê
        ("o", "\u0302"): 1,  # ô
        ("o", "\u031b"): 2,  # ơ
        ("u", "\u031b"): 1,  # ư
    },
}
# Letters with no decomposition that sort right after another letter.
_LETTERS_AFTER: dict[str, dict[str, tuple[str, int]]] = {"vi": {"đ": ("d", 1)}}


def collation_key(text: str, language: str | None = None) -> tuple[tuple[tuple[int, int], ...], str]:
    """A sort key for ``text`` in ``language`` (default: the active language)."""
    code = (language or get_language() or "en").split("-")[0].split("_")[0].lower()
    marks = _LETTER_MARKS.get(code, {})
    letters_after = _LETTERS_AFTER.get(code, {})
    folded = " ".join(text.casefold().split())
    primary: list[tuple[str, int]] = []
    for char in unicodedata.normalize("NFKD", folded):
        if unicodedata.combining(char):
            if primary and (rank := marks.get((primary[-1][0], char))):
                primary[-1] = (primary[-1][0], rank)
            continue
        primary.append(letters_after.get(char, (char, 0)))
    # The folded text breaks ties, so that "Hawaii" and "Hawái" keep one stable order.
    return tuple((ord(char), rank) for char, rank in primary), folded
