# Clocks hang off their request (and, once a discussion is held, its discussion), can be
# breached, and remember when to remind the person responsible.

import django.db.models.deletion
from django.db import migrations, models


def from_discussion(apps, schema_editor):
    """Existing clocks all started when their discussion was held."""
    Clock = apps.get_model("clocks", "Clock")
    for clock in Clock.objects.select_related("discussion").iterator():
        clock.request_id = clock.discussion.request_id
        clock.started_at = clock.discussion.held_at or clock.due_at
        clock.save(update_fields=["request", "started_at"])


class Migration(migrations.Migration):

    dependencies = [
        ("clocks", "0001_initial"),
        ("requests", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="clock",
            name="discussion",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="clocks",
                to="discussions.discussion",
            ),
        ),
        migrations.AddField(
            model_name="clock",
            name="request",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="clocks",
                to="requests.strategyrequest",
            ),
        ),
        migrations.AddField(
            model_name="clock",
            name="started_at",
            field=models.DateTimeField(
                null=True, help_text="When the event that started the clock happened."
            ),
        ),
        migrations.AddField(
            model_name="clock",
            name="breached_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="clock",
            name="stopped_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="clock",
            name="remind_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="clock",
            name="code",
            field=models.CharField(
                choices=[
                    ("discussion_held", "Strategy discussion held"),
                    ("decisions_circulated", "Decisions and action points circulated"),
                    ("minutes_distributed", "Minutes distributed"),
                    ("child_seen", "Child seen by a social worker"),
                    ("icpc_held", "Initial child protection conference held"),
                    ("icpc_requested", "Initial child protection conference requested"),
                    ("next_discussion_by", "Next strategy discussion held"),
                    ("process_concluded", "Strategy discussion process concluded"),
                    ("assessment_completed", "Assessment completed"),
                    ("out_of_hours_record_sent", "Out-of-hours record sent to the day team"),
                ],
                max_length=40,
            ),
        ),
        migrations.AlterField(
            model_name="clock",
            name="state",
            field=models.CharField(
                choices=[
                    ("open", "Open"),
                    ("met", "Met on time"),
                    ("met_late", "Met late"),
                    ("breached", "Overdue"),
                    ("stopped", "Stopped"),
                ],
                default="open",
                max_length=20,
            ),
        ),
        migrations.RunPython(from_discussion, migrations.RunPython.noop),
    ]
