"""One chain per local authority, sealed with the audit key (HMAC-SHA-256).

The events written before this migration were sealed with plain SHA-256 and form one
chain. They stay as they are, marked ``sha256``, and become the start of the national
chain; each is numbered in the order it was written. A keyed event is then appended to
that chain: its seal covers the hash of the last unkeyed event, so from this migration on
none of the old events can be rewritten and the chain recomputed without the key.
"""

import django.db.models.deletion
import django.db.models.functions.comparison
from django.db import migrations, models
from django.utils import timezone

from strategise.audit.sealing import HMAC_SHA256, audit_key, content, key_id, seal

SEALED = "unkeyed-events-sealed"
BATCH = 2000


def number_the_events(apps, schema_editor):
    """The old single chain, in the order it was written, is the national chain."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    batch = []
    for sequence, event in enumerate(AuditEvent.objects.order_by("pk").only("pk"), 1):
        event.sequence = sequence
        batch.append(event)
        if len(batch) == BATCH:
            AuditEvent.objects.bulk_update(batch, ["sequence"])
            batch = []
    AuditEvent.objects.bulk_update(batch, ["sequence"])


def seal_the_unkeyed_events(apps, schema_editor):
    """Append a keyed event to the national chain after its unkeyed events, if any."""
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditChainHead = apps.get_model("audit", "AuditChainHead")
    head = AuditChainHead.objects.select_for_update().filter(local_authority=None).first()
    if head is None or head.count == 0:
        return
    key = audit_key()
    event = AuditEvent(
        at=timezone.now(),
        user=None,
        action=SEALED,
        object_type="audit.AuditChainHead",
        object_id=str(head.pk),
        child_ids=[],
        remote_addr=None,
        detail={"unkeyed_events": head.count, "last_unkeyed_hash": head.last_hash},
        local_authority=None,
        sequence=head.count + 1,
        scheme=HMAC_SHA256,
        key_id=key_id(key),
        previous_hash=head.last_hash,
    )
    event.hash = seal(
        scheme=HMAC_SHA256, key=key, previous_hash=head.last_hash, covered=content(event)
    )
    event.save(force_insert=True)
    head.last_hash = event.hash
    head.count = event.sequence
    head.save(update_fields=["last_hash", "count"])


def refuse_to_unseal(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    if AuditEvent.objects.filter(scheme=HMAC_SHA256).exists():
        raise RuntimeError(
            "Cannot go back before the keyed audit chains: keyed events exist, and the "
            "unkeyed scheme could not verify them."
        )


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_initial'),
        ('organisations', '0002_team_manager'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditchainhead',
            name='local_authority',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.localauthority'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='key_id',
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='local_authority',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.localauthority'),
        ),
        # Every event so far was sealed without a key.
        migrations.AddField(
            model_name='auditevent',
            name='scheme',
            field=models.CharField(choices=[('sha256', 'SHA-256, unkeyed (events before the audit key)'), ('hmac-sha256', 'HMAC-SHA-256 with the audit key')], default='sha256', max_length=12),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='auditevent',
            name='sequence',
            field=models.PositiveBigIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.RunPython(number_the_events, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='auditchainhead',
            constraint=models.UniqueConstraint(django.db.models.functions.comparison.Coalesce('local_authority', models.Value(0)), name='audit_one_head_per_chain'),
        ),
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.UniqueConstraint(django.db.models.functions.comparison.Coalesce('local_authority', models.Value(0)), models.F('sequence'), name='audit_event_place_in_chain'),
        ),
        migrations.RunPython(seal_the_unkeyed_events, refuse_to_unseal),
    ]
