from django.db import migrations, models


def sources_of_existing_coordinates(apps, schema_editor):
    """Events placed before the source was kept: at the host library's coordinates means the directory placed
    them (the only fallback there was); any other point was picked by the host."""
    Event = apps.get_model("events", "Event")
    for event in Event.objects.filter(latitude__isnull=False).select_related("host__organization").iterator():
        organization = event.host.organization
        at_library = (event.latitude, event.longitude) == (organization.latitude, organization.longitude)
        Event.objects.filter(pk=event.pk).update(location_source="organization" if at_library else "picked")


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_event_local_date"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="location_source",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Not on the map"),
                    ("picked", "Picked by the host"),
                    ("organization", "The host library's location"),
                    ("city", "The city, from the directory's libraries there"),
                    ("state", "Approximate: a library in the same state"),
                ],
                default="",
                max_length=16,
                verbose_name="coordinates from",
            ),
        ),
        migrations.RunPython(sources_of_existing_coordinates, migrations.RunPython.noop),
    ]
