"""The network's reference data: regions, the jurisdictions each covers, and the affiliations that count.

The table comes from the program's facts (shared/program.md, "Regions"). It is loaded by data migration 0002 and
can be re-loaded at any time: ``load_reference_data`` only creates what is missing and never overwrites what staff
have edited in the admin, so another network replaces it by editing the data, not this code.

Transactional tests (and live-server browser tests) flush every table after they run, which removes these rows
for the tests that follow in the same worker; ``ensure_reference_data`` puts them back cheaply.
"""

from __future__ import annotations

from typing import Any

# (USPS code, name, kind, region number). 50 states, DC, 5 territories and 3 freely associated states: 59.
JURISDICTIONS: tuple[tuple[str, str, str, int], ...] = (
    # Region 1
    ("DE", "Delaware", "state", 1),
    ("KY", "Kentucky", "state", 1),
    ("MD", "Maryland", "state", 1),
    ("NJ", "New Jersey", "state", 1),
    ("NC", "North Carolina", "state", 1),
    ("PA", "Pennsylvania", "state", 1),
    ("VA", "Virginia", "state", 1),
    ("WV", "West Virginia", "state", 1),
    ("DC", "District of Columbia", "district", 1),
    # Region 2
    ("AL", "Alabama", "state", 2),
    ("FL", "Florida", "state", 2),
    ("GA", "Georgia", "state", 2),
    ("MS", "Mississippi", "state", 2),
    ("SC", "South Carolina", "state", 2),
    ("TN", "Tennessee", "state", 2),
    ("PR", "Puerto Rico", "territory", 2),
    ("VI", "U.S. Virgin Islands", "territory", 2),
    # Region 3
    ("AR", "Arkansas", "state", 3),
    ("KS", "Kansas", "state", 3),
    ("LA", "Louisiana", "state", 3),
    ("MO", "Missouri", "state", 3),
    ("NE", "Nebraska", "state", 3),
    ("OK", "Oklahoma", "state", 3),
    ("TX", "Texas", "state", 3),
    # Region 4
    ("AZ", "Arizona", "state", 4),
    ("ID", "Idaho", "state", 4),
    ("CO", "Colorado", "state", 4),
    ("MT", "Montana", "state", 4),
    ("NM", "New Mexico", "state", 4),
    ("ND", "North Dakota", "state", 4),
    ("SD", "South Dakota", "state", 4),
    ("UT", "Utah", "state", 4),
    ("WY", "Wyoming", "state", 4),
    # Region 5
    ("AK", "Alaska", "state", 5),
    ("CA", "California", "state", 5),
    ("HI", "Hawaii", "state", 5),
    ("NV", "Nevada", "state", 5),
    ("OR", "Oregon", "state", 5),
    ("WA", "Washington", "state", 5),
    ("AS", "American Samoa", "territory", 5),
    ("GU", "Guam", "territory", 5),
    ("MP", "Northern Mariana Islands", "territory", 5),
    ("FM", "Federated States of Micronesia", "freely_associated_state", 5),
    ("MH", "Marshall Islands", "freely_associated_state", 5),
    ("PW", "Palau", "freely_associated_state", 5),
    # Region 6
    ("IL", "Illinois", "state", 6),
    ("IN", "Indiana", "state", 6),
    ("IA", "Iowa", "state", 6),
    ("MI", "Michigan", "state", 6),
    ("MN", "Minnesota", "state", 6),
    ("OH", "Ohio", "state", 6),
    ("WI", "Wisconsin", "state", 6),
    # Region 7
    ("CT", "Connecticut", "state", 7),
    ("MA", "Massachusetts", "state", 7),
    ("ME", "Maine", "state", 7),
    ("NH", "New Hampshire", "state", 7),
    ("NY", "New York", "state", 7),
    ("RI", "Rhode Island", "state", 7),
    ("VT", "Vermont", "state", 7),
)

REGION_NUMBERS: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7)

# (code, name, gives kit priority)
AFFILIATIONS: tuple[tuple[str, str, bool], ...] = (
    ("arsl", "Association for Rural & Small Libraries", True),
    ("abos", "Association of Bookmobile and Outreach Services", True),
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
