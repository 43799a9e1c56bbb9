"""Hashtags in edit summaries, and a byte-level pre-filter that skips the JSON parse for events that cannot match.

A hashtag is ``#`` (or the full-width ``＃``) followed by word characters, optionally joined by single hyphens.
The sign must not follow a word character, so ``abc#CiteNLM`` and wikilink anchors such as ``[[WP:CSD#G10]]``
are not hashtags; nor may it follow ``/``, ``&`` or another sign, which rules out URL fragments
(``quickstatements/#mode=batch``) and HTML entities (``&#123;``). The tag runs to the end of the word, so
``#CiteNLM2021`` is the tag ``citenlm2021``, not ``citenlm``. All-digit tags (``batch #2213``) are not
hashtags. Tags are compared after ``str.casefold()``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

HASHTAG_PATTERN = re.compile(r"(?<![\w/&#＃])[#＃](\w+(?:-\w+)*)")


def normalize_hashtag(tag: str) -> str:
    """The comparable form of a tag: without a leading sign, casefolded."""
    return tag.lstrip("#＃").casefold()


def extract_hashtags(comment: str) -> tuple[str, ...]:
    """The normalized hashtags of an edit summary, in order of first appearance, without repeats."""
    if "#" not in comment and "＃" not in comment:
        return ()
    seen: dict[str, None] = {}
    for match in HASHTAG_PATTERN.finditer(comment):
        tag = match.group(1)
        if tag.isdigit():
            continue
        seen.setdefault(tag.casefold(), None)
    return tuple(seen)


@functools.cache
def _non_ascii_chars_folding_to_ascii() -> tuple[str, ...]:
    # A handful of characters (ſ, K KELVIN SIGN, the ﬀ…ﬆ ligatures, ß, ẞ) casefold to ASCII letters, so a tag
    # written with them matches an ASCII tag even though the ASCII spelling is nowhere in the raw bytes.
    return tuple(chr(cp) for cp in range(0x80, 0x110000) if chr(cp).casefold().isascii())


def _json_unicode_escape(char: str) -> str:
    """The ``\\uXXXX`` spelling of one character in JSON (a surrogate pair beyond the BMP)."""
    code_point = ord(char)
    if code_point < 0x10000:
        return f"\\u{code_point:04x}"
    code_point -= 0x10000
    return f"\\u{0xD800 + (code_point >> 10):04x}\\u{0xDC00 + (code_point & 0x3FF):04x}"


class HashtagFilter:
    """Decides which edits carry any of the wanted hashtags, with a cheap pre-check on the raw JSON bytes.

    ``might_match(raw)`` is conservative: it returns False only when no decoding of ``raw`` can contain a wanted
    tag, so skipping ``json.loads`` for those events never loses a match. The reasoning: a matching tag casefolds
    to the wanted ASCII string, so each of its characters is either an ASCII character spelled literally in the
    bytes (then the lowercased bytes contain the tag contiguously), a JSON ``\\uXXXX`` escape, or one of the few
    non-ASCII characters that casefold to ASCII. The last two cases are looked for explicitly.
    """

    def __init__(self, hashtags: Iterable[str]) -> None:
        wanted = frozenset(normalize_hashtag(tag) for tag in hashtags)
        if not wanted or "" in wanted:
            raise ValueError("at least one non-empty hashtag is needed")
        self.hashtags = wanted
        self._fast_path = all(tag.isascii() for tag in wanted)
        self._needles = tuple(tag.encode("ascii") for tag in wanted) if self._fast_path else ()
        dangerous = {ch for tag in wanted for ch in tag} | {
            ch for ch in _non_ascii_chars_folding_to_ascii() if any(ch.casefold() in tag for tag in wanted)
        }
        dangerous |= {variant for ch in list(dangerous) for variant in (ch.upper(), ch.lower()) if len(variant) == 1}
        self._literal_non_ascii = tuple(ch.encode("utf-8") for ch in sorted(dangerous) if not ch.isascii())
        # JSON escapes are compared on the lowercased bytes, so hex digits of either case are covered.
        self._ascii_escape_digits = frozenset(f"{ord(ch):02x}".encode() for ch in dangerous if ch.isascii())
        self._escape_hex = frozenset(
            _json_unicode_escape(ch)[2:6].lower().encode("ascii") for ch in dangerous  # a surrogate's first half
        )
        self._has_non_ascii_danger = any(not ch.isascii() for ch in dangerous)

    def might_match(self, raw: bytes) -> bool:
        """False only if the JSON text ``raw`` cannot hold a wanted hashtag (no parse needed)."""
        if not self._fast_path:
            return True
        lowered = raw.lower()  # bytes.lower() folds ASCII only, exactly what the ASCII needles need
        for needle in self._needles:
            if needle in lowered:
                return True
        if self._has_non_ascii_danger:
            # Tags with letters such as s, k, f, i, l, t can be spelled with ſ, K, ß or a ligature: look at
            # every literal non-ASCII candidate and every \uXXXX escape.
            if not raw.isascii():
                for encoded in self._literal_non_ascii:
                    if encoded in raw:
                        return True
            hexes = self._escape_hex
            position = lowered.find(b"\\u")
            while position != -1:
                if lowered[position + 2 : position + 6] in hexes:
                    return True
                position = lowered.find(b"\\u", position + 2)
            return False
        # An ASCII character escaped as \u00XX (legal JSON, though encoders rarely do it) could hide a tag letter.
        digits = self._ascii_escape_digits
        position = lowered.find(b"\\u00")
        while position != -1:
            if lowered[position + 4 : position + 6] in digits:
                return True
            position = lowered.find(b"\\u00", position + 4)
        return False

    def matches_comment(self, comment: str) -> bool:
        """True if the edit summary carries any wanted hashtag (the exact, decoded check)."""
        return not self.hashtags.isdisjoint(extract_hashtags(comment))
