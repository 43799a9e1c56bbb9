"""What an app contributes to the site's navigation. The site app collects these; core only defines the shape.

An app takes part by defining on its AppConfig (see crowdsci/catalog/apps.py):

- ``nav_order`` (int, lower first) and ``navigation(request) -> list[NavItem]``: entries of the main navigation;
- ``staff_navigation(request) -> list[NavItem]``: its tools in the "Staff" menu, only those the user may use;
- ``program_card(request) -> ProgramCard | None``: a program app's card on the home page and on the
  Crowdsourcing & Citizen Science page (``/ccs/``), saying what is on now (the current or next campaign and its
  dates, this year's Citizen Science Month, whether kits can be requested); None while it has nothing to show,
  and then the site shows the program as coming soon;
- ``demo_order`` (int) and ``demo_load()``: its demo data, loaded by ``manage.py load_demo`` (idempotent);
  optionally ``demo_logins() -> list[tuple[email, password, description]]`` to print at start-up.

So adding an app touches no other app.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str | None  # None: the page does not exist yet and is shown as coming, never as a link.
    description: str = ""
    current: bool = False


def is_current(request_path: str, url: str | None) -> bool:
    return bool(url) and request_path.startswith(url)


@dataclass(frozen=True)
class ProgramCard:
    """One program's card: what the program is, and what is on now.

    ``status`` is a short line about the current state ("Spring 2027 · March 1–31", "Requests open", "Shipping
    paused"); ``dates`` an optional (start, end) pair the site formats in the reader's language. ``url`` is the
    program's page; a card without one is shown as coming soon.
    """

    label: str
    url: str | None
    description: str = ""
    status: str = ""
    dates: tuple[datetime.date, datetime.date] | None = None
