"""Recording events for the audit tests, and tampering with them as an attacker would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction

from strategise.audit.models import AuditChainHead, AuditEvent
from strategise.audit.sealing import SHA256, content, seal
from strategise.audit.services import audit_record
from strategise.organisations.models import LocalAuthority, User


def record(
    action: str = "view",
    *,
    user: User | None = None,
    children: tuple[int, ...] = (),
    authority: LocalAuthority | None = None,
) -> AuditEvent:
    """One event, in a transaction of its own as a selector or service would write it."""
    with transaction.atomic():
        return audit_record(
            user=user, action=action, object_type="test", children=children, authority=authority
        )


@contextmanager
def tampering() -> Iterator[None]:
    """Write to the audit table as someone with the database's own rights would.

    On PostgreSQL the append-only trigger refuses UPDATE and DELETE; a database
    superuser can switch triggers off for a session, which is what this does."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")


def change(event: AuditEvent, **fields: Any) -> None:
    """Change an event's columns in place, leaving its hash as it was."""
    with tampering():
        AuditEvent.objects.filter(pk=event.pk).update(**fields)


def remove(event: AuditEvent) -> None:
    with tampering():
        AuditEvent.objects.filter(pk=event.pk).delete()


def rewrite_and_recompute(event: AuditEvent, *, relabel: bool, **fields: Any) -> None:
    """Change ``event`` and recompute the chain after it with plain SHA-256, as anyone who
    can write to the database and read the code can do (they do not have the key)."""
    chain = AuditEvent.objects.filter(
        local_authority_id=event.local_authority_id, sequence__gte=event.sequence
    ).order_by("sequence")
    previous = event.previous_hash
    with tampering():
        for later in chain:
            for name, value in (fields if later.pk == event.pk else {}).items():
                setattr(later, name, value)
            if relabel:
                later.scheme = SHA256
            later.previous_hash = previous
            later.hash = seal(
                scheme=SHA256, key=b"", previous_hash=previous, covered=content(later)
            )
            later.save()
            previous = later.hash
        AuditChainHead.objects.filter(local_authority_id=event.local_authority_id).update(
            last_hash=previous
        )
