"""The catalog stamp (one row) and the triggers that replace its token on every write browsing can see; the
SQL lives in crowdsci/catalog/facet_index.py, and post_migrate re-creates the SQLite triggers (see apps.py)."""

from django.db import migrations, models

from crowdsci.catalog import facet_index


def stamp_install(apps, schema_editor):
    apps.get_model("catalog", "CatalogStamp").objects.using(schema_editor.connection.alias).get_or_create(pk=1)
    facet_index.install(schema_editor.connection)


def stamp_uninstall(apps, schema_editor):
    facet_index.uninstall(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0003_guide_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='CatalogStamp',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.BigIntegerField(default=0, verbose_name='token')),
            ],
            options={
                'verbose_name': 'catalog stamp',
                'constraints': [models.CheckConstraint(condition=models.Q(('id', 1)), name='catalog_stamp_single_row')],
            },
        ),
        migrations.RunPython(stamp_install, stamp_uninstall),
    ]
