"""Regions 1–7, the 59 jurisdictions they cover, and the ARSL and ABOS affiliations (hand-written)."""

from django.db import migrations


def load(apps, schema_editor):
    from crowdsci.network.reference_data import load_reference_data

    load_reference_data(
        apps.get_model("network", "Region"),
        apps.get_model("network", "Jurisdiction"),
        apps.get_model("network", "Affiliation"),
    )


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]

    # Reversing keeps the rows: organizations protect their jurisdictions, and staff may have edited them.
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
