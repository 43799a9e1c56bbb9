from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0004_event_coordinates_have_a_source"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["edition", "updated"], name="events_even_edition_63e29b_idx"),
        ),
    ]
