"""Each child's decision names its discussion's authority (``ChildDecision.local_authority``),
and discussions are indexed by authority, status and when they were held, so that the
reports and the returns read one authority's rows through an index. Existing decisions
take their discussion's authority."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def authority_of_the_discussion(apps, schema_editor):
    ChildDecision = apps.get_model("discussions", "ChildDecision")
    Discussion = apps.get_model("discussions", "Discussion")
    ChildDecision.objects.filter(local_authority__isnull=True).update(
        local_authority_id=Subquery(
            Discussion.objects.filter(pk=OuterRef("discussion_id")).values("local_authority_id")[
                :1
            ]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("discussions", "0009_language_acceptances"),
        ("organisations", "0006_agency_senior_manager_strategy_lead"),
    ]

    operations = [
        migrations.AddField(
            model_name="childdecision",
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
            model_name="childdecision",
            name="local_authority",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="organisations.localauthority",
            ),
        ),
        migrations.AddIndex(
            model_name="childdecision",
            index=models.Index(fields=["local_authority", "outcome"], name="decision_authority"),
        ),
        migrations.AddIndex(
            model_name="discussion",
            index=models.Index(
                fields=["local_authority", "status", "held_at"], name="discussion_held"
            ),
        ),
    ]
