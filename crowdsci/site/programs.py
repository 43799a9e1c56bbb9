"""The Crowdsourcing & Citizen Science program's three parts, as cards on the home page and on ``/ccs/``.

Each program app contributes its own card through its AppConfig (``program_card(request)``, see
crowdsci.core.navigation); the site imports none of them. A part whose app contributes no card yet (not built,
or nothing to show) is shown as coming soon with the text below.
"""

from __future__ import annotations

from dataclasses import replace

from django.apps import apps
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from crowdsci.core.navigation import ProgramCard

# (app label, label, description): the network's three programs, in the order the network presents them.
PROGRAMS: tuple[tuple[str, str, str], ...] = (
    (
        "campaigns",
        gettext_noop("#CiteNLM Wikipedia edit-a-thons"),
        gettext_noop(
            "Twice a year, librarians and health professionals add citations to National Library of Medicine "
            "sources to Wikipedia's health articles, and tag their edits #CiteNLM."
        ),
    ),
    (
        "events",
        gettext_noop("Citizen Science Month"),
        gettext_noop(
            "Every April, libraries host citizen-science events with the network and its partner SciStarter, "
            "with a program kit and featured projects to draw activities from."
        ),
    ),
    (
        "kits",
        gettext_noop("Test the Waters kits"),
        gettext_noop(
            "Water-testing kits libraries borrow for their communities, with an activity guide in six languages; "
            "rural and bookmobile libraries are served first."
        ),
    ),
)


def program_cards(request: HttpRequest) -> list[ProgramCard]:
    """One card per program: the app's own card, or a coming-soon card (``url=None``) while it has none.

    Apps with a card that are not among the three known programs follow them, so a network can add a program
    by installing its app.
    """
    cards: list[ProgramCard] = []
    known = {label for label, _name, _description in PROGRAMS}
    for label, name, description in PROGRAMS:
        card = _card_of(label, request)
        cards.append(card or ProgramCard(label=_(name), url=None, description=_(description)))
    for config in sorted(apps.get_app_configs(), key=lambda c: (getattr(c, "nav_order", 100), c.label)):
        if config.label not in known:
            card = _card_of(config.label, request)
            if card is not None:
                cards.append(card)
    return cards


def _card_of(label: str, request: HttpRequest) -> ProgramCard | None:
    try:
        config = apps.get_app_config(label)
    except LookupError:
        return None
    contribute = getattr(config, "program_card", None)
    card = contribute(request) if callable(contribute) else None
    if card is not None and not card.url:
        return replace(card, url=None)
    return card
