import datetime
import zoneinfo

from django.db import migrations, models


def fill_local_date(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    for event in Event.objects.only("pk", "starts_at", "timezone").iterator():
        local_date = event.starts_at.astimezone(zoneinfo.ZoneInfo(event.timezone)).date()
        Event.objects.filter(pk=event.pk).update(local_date=local_date)


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="local_date",
            field=models.DateField(default=datetime.date(2000, 1, 1), editable=False, verbose_name="date"),
            preserve_default=False,
        ),
        migrations.RunPython(fill_local_date, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["edition", "local_date", "starts_at"], name="events_even_edition_8c781b_idx"),
        ),
    ]
