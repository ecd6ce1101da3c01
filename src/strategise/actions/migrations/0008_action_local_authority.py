"""Each action names its discussion's authority (``Action.local_authority``), so that the
dashboard, the reports and the exports read one authority's actions through an index.
Existing actions take their discussion's authority."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def authority_of_the_discussion(apps, schema_editor):
    Action = apps.get_model("actions", "Action")
    Discussion = apps.get_model("discussions", "Discussion")
    Action.objects.filter(local_authority__isnull=True).update(
        local_authority_id=Subquery(
            Discussion.objects.filter(pk=OuterRef("discussion_id")).values("local_authority_id")[
                :1
            ]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0007_action_version"),
        ("discussions", "0010_decision_local_authority"),
        ("organisations", "0006_agency_senior_manager_strategy_lead"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="local_authority",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.localauthority",
            ),
        ),
        migrations.RunPython(authority_of_the_discussion, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="action",
            name="local_authority",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.localauthority",
            ),
        ),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(
                condition=models.Q(("status", "open")),
                fields=["local_authority", "due_at"],
                name="action_authority_open",
            ),
        ),
        migrations.AddIndex(
            model_name="action",
            index=models.Index(fields=["local_authority", "due_at"], name="action_authority_due"),
        ),
    ]
