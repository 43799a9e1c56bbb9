"""The network's reference data: regions, the jurisdictions each covers, and the affiliations that count.

The table comes from the program's facts (shared/program.md, "Regions"). It is loaded by data migration 0002 and
can be re-loaded at any time: ``load_reference_data`` only creates what is missing and never overwrites what staff
have edited in the admin, so another network replaces it by editing the data, not this code.

Transactional tests (and live-server browser tests) flush every table after they run, which removes these rows
for the tests that follow in the same worker; ``ensure_reference_data`` puts them back cheaply.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

# Names are marked for the message catalogs (the models' ``display_name`` translates them when shown); the
# database keeps the English name, so a network's own names show as they are.
_REGION_NAME_FOR_TRANSLATORS = gettext_noop("Region %(number)s")

# (USPS code, name, kind, region number). 50 states, DC, 5 territories and 3 freely associated states: 59.
JURISDICTIONS: tuple[tuple[str, str, str, int], ...] = (
    # Region 1
    ("DE", gettext_noop("Delaware"), "state", 1),
    ("KY", gettext_noop("Kentucky"), "state", 1),
    ("MD", gettext_noop("Maryland"), "state", 1),
    ("NJ", gettext_noop("New Jersey"), "state", 1),
    ("NC", gettext_noop("North Carolina"), "state", 1),
    ("PA", gettext_noop("Pennsylvania"), "state", 1),
    ("VA", gettext_noop("Virginia"), "state", 1),
    ("WV", gettext_noop("West Virginia"), "state", 1),
    ("DC", gettext_noop("District of Columbia"), "district", 1),
    # Region 2
    ("AL", gettext_noop("Alabama"), "state", 2),
    ("FL", gettext_noop("Florida"), "state", 2),
    ("GA", gettext_noop("Georgia"), "state", 2),
    ("MS", gettext_noop("Mississippi"), "state", 2),
    ("SC", gettext_noop("South Carolina"), "state", 2),
    ("TN", gettext_noop("Tennessee"), "state", 2),
    ("PR", gettext_noop("Puerto Rico"), "territory", 2),
    ("VI", gettext_noop("U.S. Virgin Islands"), "territory", 2),
    # Region 3
    ("AR", gettext_noop("Arkansas"), "state", 3),
    ("KS", gettext_noop("Kansas"), "state", 3),
    ("LA", gettext_noop("Louisiana"), "state", 3),
    ("MO", gettext_noop("Missouri"), "state", 3),
    ("NE", gettext_noop("Nebraska"), "state", 3),
    ("OK", gettext_noop("Oklahoma"), "state", 3),
    ("TX", gettext_noop("Texas"), "state", 3),
    # Region 4
    ("AZ", gettext_noop("Arizona"), "state", 4),
    ("ID", gettext_noop("Idaho"), "state", 4),
    ("CO", gettext_noop("Colorado"), "state", 4),
    ("MT", gettext_noop("Montana"), "state", 4),
    ("NM", gettext_noop("New Mexico"), "state", 4),
    ("ND", gettext_noop("North Dakota"), "state", 4),
    ("SD", gettext_noop("South Dakota"), "state", 4),
    ("UT", gettext_noop("Utah"), "state", 4),
    ("WY", gettext_noop("Wyoming"), "state", 4),
    # Region 5
    ("AK", gettext_noop("Alaska"), "state", 5),
    ("CA", gettext_noop("California"), "state", 5),
    ("HI", gettext_noop("Hawaii"), "state", 5),
    ("NV", gettext_noop("Nevada"), "state", 5),
    ("OR", gettext_noop("Oregon"), "state", 5),
    ("WA", gettext_noop("Washington"), "state", 5),
    ("AS", gettext_noop("American Samoa"), "territory", 5),
    ("GU", gettext_noop("Guam"), "territory", 5),
    ("MP", gettext_noop("Northern Mariana Islands"), "territory", 5),
    ("FM", gettext_noop("Federated States of Micronesia"), "freely_associated_state", 5),
    ("MH", gettext_noop("Marshall Islands"), "freely_associated_state", 5),
    ("PW", gettext_noop("Palau"), "freely_associated_state", 5),
    # Region 6
    ("IL", gettext_noop("Illinois"), "state", 6),
    ("IN", gettext_noop("Indiana"), "state", 6),
    ("IA", gettext_noop("Iowa"), "state", 6),
    ("MI", gettext_noop("Michigan"), "state", 6),
    ("MN", gettext_noop("Minnesota"), "state", 6),
    ("OH", gettext_noop("Ohio"), "state", 6),
    ("WI", gettext_noop("Wisconsin"), "state", 6),
    # Region 7
    ("CT", gettext_noop("Connecticut"), "state", 7),
    ("MA", gettext_noop("Massachusetts"), "state", 7),
    ("ME", gettext_noop("Maine"), "state", 7),
    ("NH", gettext_noop("New Hampshire"), "state", 7),
    ("NY", gettext_noop("New York"), "state", 7),
    ("RI", gettext_noop("Rhode Island"), "state", 7),
    ("VT", gettext_noop("Vermont"), "state", 7),
)

REGION_NUMBERS: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)

# (code, name, gives kit priority)
AFFILIATIONS: tuple[tuple[str, str, bool], ...] = (
    ("arsl", gettext_noop("Association for Rural & Small Libraries"), True),
    ("abos", gettext_noop("Association of Bookmobile and Outreach Services"), True),
)


def load_reference_data(region_model: Any, jurisdiction_model: Any, affiliation_model: Any) -> None:
    """Create the regions, jurisdictions and affiliations that are missing. Idempotent.

    Takes the model classes so the data migration can pass its historical models.
    """
    regions = {}
    for number in REGION_NUMBERS:
        regions[number], _created = region_model.objects.get_or_create(
            number=number, defaults={"name": f"Region {number}", "slug": f"region-{number}"}
        )
    existing = set(jurisdiction_model.objects.values_list("code", flat=True))
    jurisdiction_model.objects.bulk_create(
        jurisdiction_model(code=code, name=name, kind=kind, region=regions[number])
        for code, name, kind, number in JURISDICTIONS
        if code not in existing
    )
    for code, name, gives_kit_priority in AFFILIATIONS:
        affiliation_model.objects.get_or_create(
            code=code, defaults={"name": name, "gives_kit_priority": gives_kit_priority}
        )


def ensure_reference_data() -> None:
    """Load the reference data if any of it is missing; two cheap queries when it is all there.

    Meant for test set-up after a flush (see the module docstring) and for commands that need it.
    """
    from crowdsci.network.models import Affiliation, Jurisdiction, Region

    if Jurisdiction.objects.count() >= len(JURISDICTIONS) and Affiliation.objects.filter(
        code__in=[code for code, _name, _priority in AFFILIATIONS]
    ).count() == len(AFFILIATIONS):
        return
    load_reference_data(Region, Jurisdiction, Affiliation)
