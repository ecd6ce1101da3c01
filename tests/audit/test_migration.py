"""Events from before the key keep verifying, and a keyed event seals them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from strategise.audit.models import AuditEvent
from strategise.audit.sealing import HMAC_SHA256, SHA256
from strategise.audit.verification import audit_verify
from tests.audit.support import change, record

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("audit", "0002_initial")]
GENESIS = "0" * 64


def _leaf() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes("audit")


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def _old_digest(previous: str, event: Any) -> str:
    """The SHA-256 chain exactly as it was sealed before the audit key."""
    content = {
        "at": event.at.isoformat(),
        "user": event.user_id,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "child_ids": event.child_ids,
        "remote_addr": event.remote_addr,
        "detail": event.detail,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{previous}\n{canonical}".encode()).hexdigest()


def _write_old_events(apps: Any, count: int) -> None:
    Event = apps.get_model("audit", "AuditEvent")
    Head = apps.get_model("audit", "AuditChainHead")
    previous = GENESIS
    for number in range(count):
        event = Event(
            at=datetime(2026, 1, 5, 9, number, tzinfo=UTC),
            action="view",
            object_type="cases.Child",
            object_id=str(number),
            child_ids=[number],
            detail={},
            previous_hash=previous,
        )
        event.hash = previous = _old_digest(previous, event)
        event.save()
    Head.objects.create(pk=1, last_hash=previous, count=count)


@pytest.fixture
def before_the_key() -> Iterator[Any]:
    """The database as it was before the keyed chains; migrated forward again afterwards."""
    leaf = _leaf()
    apps = _migrate(BEFORE)
    try:
        yield apps
    finally:
        _migrate(leaf)


def test_old_events_stay_unkeyed_and_are_sealed_by_a_keyed_event(before_the_key: Any) -> None:
    _write_old_events(before_the_key, 3)
    _migrate(_leaf())
    events = list(AuditEvent.objects.order_by("pk"))
    assert [(e.scheme, e.sequence, e.local_authority_id) for e in events] == [
        (SHA256, 1, None),
        (SHA256, 2, None),
        (SHA256, 3, None),
        (HMAC_SHA256, 4, None),
    ]
    seal = events[-1]
    assert (seal.action, seal.previous_hash) == ("unkeyed-events-sealed", events[2].hash)
    assert seal.detail == {"unkeyed_events": 3, "last_unkeyed_hash": events[2].hash}
    after = record()
    assert (after.previous_hash, after.sequence) == (seal.hash, 5)
    report = audit_verify()
    assert (report.intact, report.checked) == (True, 5)


def test_an_old_event_rewritten_since_the_seal_is_caught_at_the_seal(
    before_the_key: Any,
) -> None:
    _write_old_events(before_the_key, 3)
    _migrate(_leaf())
    first, second, third, seal = AuditEvent.objects.order_by("pk")
    # Rewrite the second event and recompute the unkeyed chain after it, as anyone could.
    second.action = "create"
    second.hash = _old_digest(first.hash, second)
    change(second, action=second.action, hash=second.hash)
    change(third, previous_hash=second.hash, hash=_old_digest(second.hash, third))
    report = audit_verify()
    assert (report.event_id, report.problem) == (
        seal.pk,
        "an event before it was changed or removed",
    )


def test_an_empty_log_needs_no_seal(before_the_key: Any) -> None:
    _migrate(_leaf())
    assert not AuditEvent.objects.exists()
