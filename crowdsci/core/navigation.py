"""What an app contributes to the site's navigation. The site app collects these; core only defines the shape.

An app takes part by defining on its AppConfig (see crowdsci/catalog/apps.py):

- ``nav_order`` (int, lower first) and ``navigation(request) -> list[NavItem]``: entries of the main navigation;
- ``staff_navigation(request) -> list[NavItem]``: its tools in the "Staff" menu, only those the user may use;
- ``demo_order`` (int) and ``demo_load()``: its demo data, loaded by ``manage.py load_demo`` (idempotent);
  optionally ``demo_logins() -> list[tuple[email, password, description]]`` to print at start-up.

So adding an app touches no other app.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str | None  # None: the page does not exist yet and is shown as coming, never as a link.
    description: str = ""
    current: bool = False


def is_current(request_path: str, url: str | None) -> bool:
    return bool(url) and request_path.startswith(url)
