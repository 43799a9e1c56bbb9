"""MediaWiki's username rules (``UserNameUtils::isValid`` and the title rules it relies on), checked before a
registration asks the Action API whether the account exists.

The rules, as MediaWiki applies them to an existing account's name after normalizing it (underscores are spaces,
runs of spaces collapse, the first letter is upper case):
- not empty, at most 255 bytes of UTF-8 (``$wgMaxNameChars``);
- not an IP address (those are logged-out editors);
- none of the characters a page title cannot hold (``# < > [ ] | { }``), no control characters, and none of the
  "troublemaker" characters MediaWiki refuses (non-breaking and other odd spaces, bidi marks, private use);
- no ``/`` (it would make the user page a subpage) and no ``:`` or ``@`` (a namespace or interwiki prefix, and
  the cross-wiki form of a name, refused for new accounts since 2011 and by our profile form).
"""

from __future__ import annotations

import ipaddress
import re

from django.utils.translation import gettext as _

MAX_BYTES = 255
_TITLE_FORBIDDEN = set("#<>[]|{}/:@")
_TROUBLEMAKERS = re.compile(
    "[\x00-\x1f\x7f\x80-\x9f\xa0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f\u3000\ue000-\uf8ff\ufffd]"
)


def normalize(username: str) -> str:
    """As MediaWiki stores it: underscores are spaces, runs of spaces collapse, the first letter is upper case."""
    collapsed = re.sub(" +", " ", username.replace("_", " ")).strip(" ")
    return collapsed[:1].upper() + collapsed[1:]


def username_problem(username: str) -> str | None:
    """Why MediaWiki would refuse this name (a translated sentence), or None when it is a possible username."""
    name = normalize(username)
    if not name:
        return _("Enter your Wikipedia username.")
    if len(name.encode("utf-8")) > MAX_BYTES:
        return _("A Wikipedia username is at most 255 bytes long.")
    try:
        ipaddress.ip_address(name)
    except ValueError:
        pass
    else:
        return _("An IP address is not a Wikipedia account; create an account first.")
    forbidden = sorted({character for character in name if character in _TITLE_FORBIDDEN})
    if forbidden:
        return _("A Wikipedia username cannot contain %(characters)s.") % {"characters": " ".join(forbidden)}
    if _TROUBLEMAKERS.search(name):
        return _("This username holds invisible or control characters that Wikipedia does not allow.")
    return None
