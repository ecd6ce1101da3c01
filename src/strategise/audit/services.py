"""Writing and verifying the audit log.

``audit_record`` must run inside the transaction of the read or write it records: if the
event cannot be written, the transaction (and so the change, or the page) fails too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from strategise.audit.models import AuditChainHead, AuditEvent
from strategise.organisations.models import User

GENESIS = "0" * 64
_remote_addr: ContextVar[str | None] = ContextVar("audit_remote_addr", default=None)


class AuditOutsideTransaction(RuntimeError):
    """An audit event was written outside the transaction of the change it records."""


@contextmanager
def where_from(address: str | None) -> Iterator[None]:
    """Within this block, audit events carry ``address`` as where they came from."""
    token = _remote_addr.set(address)
    try:
        yield
    finally:
        _remote_addr.reset(token)


def _digest(previous_hash: str, content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{previous_hash}\n{canonical}".encode()).hexdigest()


def _content(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at.isoformat(),
        "user": event.user_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "child_ids": event.child_ids,
        "remote_addr": event.remote_addr,
        "detail": event.detail,
    }


def audit_record(
    *,
    user: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    children: Iterable[int] = (),
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event (who, what, which children, when, from where) to the chain."""
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction(f"audit {action!r} must be written inside a transaction")
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"last_hash": GENESIS}
    )
    event = AuditEvent(
        at=timezone.now(),
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        object_type=object_type or (obj._meta.label if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None else "",
        child_ids=sorted(set(children)),
        remote_addr=_remote_addr.get(),
        detail=detail or {},
        previous_hash=head.last_hash,
    )
    event.hash = _digest(head.last_hash, _content(event))
    event.save(force_insert=True)
    head.last_hash = event.hash
    head.count += 1
    head.save(update_fields=["last_hash", "count"])
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    problem: str | None = None
    event_id: int | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


def audit_verify() -> ChainReport:
    """Recompute the chain from the first event; report the first event that does not fit."""
    previous = GENESIS
    checked = 0
    with transaction.atomic():
        head = AuditChainHead.objects.filter(pk=1).first()
        for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
            if event.previous_hash != previous:
                return ChainReport(checked, "an event before it was changed or removed", event.pk)
            if _digest(previous, _content(event)) != event.hash:
                return ChainReport(checked, "its content was changed", event.pk)
            previous = event.hash
            checked += 1
        if head is not None and (head.last_hash != previous or head.count != checked):
            return ChainReport(checked, "events are missing from the end of the chain")
    return ChainReport(checked)
