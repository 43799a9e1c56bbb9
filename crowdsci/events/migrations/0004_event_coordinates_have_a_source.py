# Apart from 0003, so the backfill's updates commit before the table is altered (PostgreSQL refuses to alter a
# table with pending trigger events in the same transaction).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_event_location_source"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("latitude__isnull", True), ("location_source", "")),
                    models.Q(
                        ("latitude__isnull", False), ("location_source__in", ["picked", "organization", "city", "state"])
                    ),
                    _connector="OR",
                ),
                name="event_coordinates_have_a_source",
            ),
        ),
    ]
