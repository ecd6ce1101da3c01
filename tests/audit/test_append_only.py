"""On PostgreSQL the database itself refuses to change or delete an audit event."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from strategise.audit.models import AuditEvent
from tests.audit.support import record

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the append-only trigger is PostgreSQL's; SQLite has none (docs/audit.md)",
    ),
]


def test_an_event_cannot_be_changed() -> None:
    event = record()
    with pytest.raises(DatabaseError, match="audit events are append-only: UPDATE"):
        with transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).update(action="create")
    assert AuditEvent.objects.get(pk=event.pk).action == "view"


def test_an_event_cannot_be_deleted() -> None:
    event = record()
    with pytest.raises(DatabaseError, match="audit events are append-only: DELETE"):
        with transaction.atomic():
            AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_events_are_still_added() -> None:
    record()
    record()
    assert AuditEvent.objects.count() == 2
