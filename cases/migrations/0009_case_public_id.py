"""A stable, opaque public identifier for every case (issue 12): added nullable, filled, then unique."""

import uuid

from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill_public_ids(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    cases = list(Case.objects.filter(public_id__isnull=True).only("pk"))
    for case in cases:
        case.public_id = uuid.uuid4()
    Case.objects.bulk_update(cases, ["public_id"], batch_size=1000)
    # Past versions carry their case's identifier (a deleted case keeps the one drawn for its rows).
    HistoricalCase = apps.get_model("cases", "HistoricalCase")
    HistoricalCase.objects.update(public_id=Coalesce(
        Subquery(Case.objects.filter(pk=OuterRef("id")).values("public_id")[:1]), F("public_id")
    ))


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_text_validators_and_hashed_api_tokens")]

    operations = [
        migrations.AddField(
            model_name="case", name="public_id",
            field=models.UUIDField(null=True, editable=False, verbose_name="identifiant public"),
        ),
        migrations.AddField(
            model_name="historicalcase", name="public_id",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False,
                                   verbose_name="identifiant public"),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="case", name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True,
                                   verbose_name="identifiant public"),
        ),
    ]
