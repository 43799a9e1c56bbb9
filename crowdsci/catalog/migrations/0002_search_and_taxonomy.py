"""Full-text search objects for the database in use, and the network's categories and entries.

SQLite: an FTS5 table over catalog_guide with insert/update/delete triggers. PostgreSQL: a trigger filling
catalog_guide.search_vector and a GIN index on it. Other databases get neither (search then finds nothing).
The SQL lives in crowdsci/catalog/fts.py; its statements are idempotent, and post_migrate re-runs the SQLite part
because SQLite drops a table's triggers whenever a later migration rebuilds catalog_guide.
"""

from django.db import migrations

from crowdsci.catalog import fts
from crowdsci.catalog.taxonomy_data import ensure_taxonomy


def search_install(apps, schema_editor):
    fts.install(schema_editor.connection, columns=fts.SEARCH_COLUMNS_BEFORE_0007)
    fts.rebuild(schema_editor.connection)


def search_uninstall(apps, schema_editor):
    fts.uninstall(schema_editor.connection)


def taxonomy_load(apps, schema_editor):
    ensure_taxonomy(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("network", "0002_reference_data"),  # regions, which Regional Focus entries link to
    ]

    operations = [
        migrations.RunPython(search_install, search_uninstall),
        migrations.RunPython(taxonomy_load, migrations.RunPython.noop),
    ]
