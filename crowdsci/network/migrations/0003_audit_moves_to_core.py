"""The audit log moves to core (a generic record every app writes): copy the rows as they are, times included,
then drop network's table."""

from django.db import migrations

COPY_FORWARD = """
INSERT INTO core_auditentry (actor_id, action, object_type, object_id, reason, detail, created)
SELECT actor_id, action, object_type, object_id, '', detail, created FROM network_auditentry ORDER BY id
"""
COPY_BACK = """
INSERT INTO network_auditentry (actor_id, action, object_type, object_id, detail, created)
SELECT actor_id, action, object_type, object_id, detail, created FROM core_auditentry ORDER BY id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("network", "0002_reference_data"),
    ]

    operations = [
        migrations.RunSQL(COPY_FORWARD, COPY_BACK),
        migrations.DeleteModel(name="AuditEntry"),
    ]
