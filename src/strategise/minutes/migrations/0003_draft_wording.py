# A draft keeps the document generated from the record beside the minute-taker's wording,
# and counts its revisions so that the chair approves the one they read.

from django.db import migrations, models


def generated_from_document(apps, schema_editor):
    """Minutes drafted before wording could be edited printed what was generated."""
    Minutes = apps.get_model("minutes", "Minutes")
    for minutes in Minutes.objects.only("pk", "document").iterator():
        minutes.generated = minutes.document
        minutes.save(update_fields=["generated"])


class Migration(migrations.Migration):
    dependencies = [
        ("minutes", "0002_distribution_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="minutes",
            name="generated",
            field=models.JSONField(default=dict),
        ),
        migrations.AddField(
            model_name="minutes",
            name="revision",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="minutes",
            name="wording",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(generated_from_document, migrations.RunPython.noop),
    ]
