"""Slashed and dotted words ("HIV/AIDS", "ClinicalTrials.gov") indexed as their parts too (see fts.search_words):
PostgreSQL keeps such a word as one lexeme, so a search for it found nothing there while SQLite found it. Every
guide's search_words is recomputed; the search triggers re-index the rows that change."""

from django.db import migrations

from crowdsci.catalog import fts


def refill(apps, schema_editor):
    guide_model = apps.get_model("catalog", "Guide")
    for guide in guide_model.objects.only("pk", "title", "summary", "body_text", "search_words"):
        words = fts.search_words(f"{guide.title}\n{guide.summary}\n{guide.body_text}")
        if words != guide.search_words:
            guide_model.objects.filter(pk=guide.pk).update(search_words=words)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_guide_search_words"),
    ]

    operations = [migrations.RunPython(refill, migrations.RunPython.noop)]
