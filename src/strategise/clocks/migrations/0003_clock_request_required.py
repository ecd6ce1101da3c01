# Every clock now has its request and start: require them, and index live clocks. Kept
# apart from 0002 so that PostgreSQL alters the table after the backfill has committed.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("clocks", "0002_clock_request_and_breaches"),
    ]

    operations = [
        migrations.AlterField(
            model_name="clock",
            name="request",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="clocks",
                to="requests.strategyrequest",
            ),
        ),
        migrations.AlterField(
            model_name="clock",
            name="started_at",
            field=models.DateTimeField(
                help_text="When the event that started the clock happened."
            ),
        ),
        migrations.AddIndex(
            model_name="clock",
            index=models.Index(
                condition=models.Q(("state__in", ["open", "breached"])),
                fields=["state", "due_at"],
                name="clock_live",
            ),
        ),
        migrations.AddIndex(
            model_name="clock",
            index=models.Index(
                condition=models.Q(("remind_at__isnull", False)),
                fields=["remind_at"],
                name="clock_remind",
            ),
        ),
        migrations.AddConstraint(
            model_name="clock",
            constraint=models.UniqueConstraint(
                condition=models.Q(("discussion__isnull", True)),
                fields=("request", "code"),
                name="clock_once_per_request",
            ),
        ),
    ]
