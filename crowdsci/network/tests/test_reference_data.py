import pytest

from crowdsci.network.models import Affiliation, Jurisdiction, Organization, Region
from crowdsci.network.reference_data import JURISDICTIONS, ensure_reference_data, load_reference_data

pytestmark = pytest.mark.django_db

PROGRAM_TABLE = {
    1: "DE KY MD NJ NC PA VA WV DC",
    2: "AL FL GA MS SC TN PR VI",
    3: "AR KS LA MO NE OK TX",
    4: "AZ ID CO MT NM ND SD UT WY",
    5: "AK CA HI NV OR WA AS GU MP FM MH PW",
    6: "IL IN IA MI MN OH WI",
    7: "CT MA ME NH NY RI VT",
}


def test_each_of_the_59_jurisdictions_maps_to_exactly_one_region_as_in_the_program():
    jurisdictions = list(Jurisdiction.objects.select_related("region"))
    assert len(jurisdictions) == 59
    assert len({jurisdiction.code for jurisdiction in jurisdictions}) == 59
    expected = {code: number for number, codes in PROGRAM_TABLE.items() for code in codes.split()}
    assert len(expected) == 59
    assert {jurisdiction.code: jurisdiction.region.number for jurisdiction in jurisdictions} == expected


def test_kinds_are_50_states_one_district_five_territories_three_freely_associated_states():
    counts = {kind: Jurisdiction.objects.filter(kind=kind).count() for kind in Jurisdiction.Kind.values}
    assert counts == {"state": 50, "district": 1, "territory": 5, "freely_associated_state": 3}
    assert Jurisdiction.objects.get(code="DC").kind == "district"
    assert set(Jurisdiction.objects.filter(kind="territory").values_list("code", flat=True)) == {
        "PR",
        "VI",
        "GU",
        "AS",
        "MP",
    }
    assert set(Jurisdiction.objects.filter(kind="freely_associated_state").values_list("code", flat=True)) == {
        "FM",
        "MH",
        "PW",
    }


def test_seven_regions_named_and_slugged_by_number():
    assert list(Region.objects.values_list("number", "name", "slug")) == [
        (number, f"Region {number}", f"region-{number}") for number in range(1, 8)
    ]


def test_arsl_and_abos_are_data_and_give_kit_priority():
    affiliations = {affiliation.code: affiliation for affiliation in Affiliation.objects.all()}
    assert affiliations["arsl"].name == "Association for Rural & Small Libraries"
    assert affiliations["abos"].name == "Association of Bookmobile and Outreach Services"
    assert affiliations["arsl"].gives_kit_priority and affiliations["abos"].gives_kit_priority


def test_loading_again_duplicates_nothing_and_keeps_staff_edits():
    Region.objects.filter(number=2).update(name="Southeastern Region")
    load_reference_data(Region, Jurisdiction, Affiliation)
    assert Jurisdiction.objects.count() == len(JURISDICTIONS) == 59
    assert Region.objects.count() == 7
    assert Affiliation.objects.count() == 2
    assert Region.objects.get(number=2).name == "Southeastern Region"


def test_ensure_reference_data_restores_what_a_flush_removed(django_assert_max_num_queries):
    Organization.objects.all().delete()
    Jurisdiction.objects.all().delete()
    Region.objects.all().delete()
    Affiliation.objects.all().delete()
    ensure_reference_data()
    assert Jurisdiction.objects.count() == 59
    assert Affiliation.objects.count() == 2
    with django_assert_max_num_queries(2):  # cheap when everything is there
        ensure_reference_data()


def test_the_data_migration_loads_everything_into_empty_tables():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("crowdsci.network.migrations.0002_reference_data")
    Jurisdiction.objects.all().delete()
    Region.objects.all().delete()
    Affiliation.objects.all().delete()
    migration.load(apps, None)
    assert (Region.objects.count(), Jurisdiction.objects.count(), Affiliation.objects.count()) == (7, 59, 2)
