from django.db import migrations, models
from django.db.models import F


def count_existing_creations(apps, schema_editor):
    """Stored figures must keep equalling a recount: add the credited page creations already tracked to the rows
    they count in (the same keys as ``tracking.aggregates.contribution``). Creations are few; one pass over them."""
    CampaignEdit = apps.get_model("campaigns", "CampaignEdit")
    CampaignAggregate = apps.get_model("campaigns", "CampaignAggregate")
    links = CampaignEdit.objects.filter(counted=True, edit__status="credited", edit__is_new_page=True).select_related(
        "edit"
    )
    increments: dict[tuple[int, str, str], int] = {}
    for link in links.iterator(chunk_size=2000):
        edit = link.edit
        keys = [("total", ""), ("day", edit.timestamp.strftime("%Y-%m-%d")),
                ("hour", edit.timestamp.strftime("%Y-%m-%dT%H")), ("user", edit.user),
                ("article", f"{edit.wiki}:{edit.page_title}")]
        if link.organization_id is not None:
            keys.append(("organization", str(link.organization_id)))
        if link.region_id is not None:
            keys.append(("region", str(link.region_id)))
        for kind, key in keys:
            increments[(link.campaign_id, kind, key)] = increments.get((link.campaign_id, kind, key), 0) + 1
    for (campaign_id, kind, key), count in sorted(increments.items()):
        CampaignAggregate.objects.filter(campaign_id=campaign_id, kind=kind, key=key).update(
            articles_created=F("articles_created") + count
        )


class Migration(migrations.Migration):

    dependencies = [
        ("campaigns", "0004_campaign_counts"),
    ]

    operations = [
        migrations.AddField(
            model_name="campaignaggregate",
            name="articles_created",
            field=models.IntegerField(db_default=0, default=0),
        ),
        migrations.RunPython(count_existing_creations, migrations.RunPython.noop),
    ]
