"""The audit log is append-only and hash-chained; tampering is detected."""

from __future__ import annotations

import pytest
from django.db import transaction

from strategise.audit.models import AuditEvent
from strategise.audit.services import (
    AuditOutsideTransaction,
    audit_record,
    audit_verify,
    where_from,
)
from strategise.cli import main

pytestmark = pytest.mark.django_db


def _record(action: str, children: tuple[int, ...] = ()) -> AuditEvent:
    with transaction.atomic():
        return audit_record(user=None, action=action, object_type="test", children=children)


def test_events_chain_each_to_the_one_before() -> None:
    first = _record("view", (3, 1, 3))
    second = _record("create")
    assert first.previous_hash == "0" * 64
    assert second.previous_hash == first.hash
    assert first.child_ids == [1, 3]
    report = audit_verify()
    assert (report.intact, report.checked) == (True, 2)


@pytest.mark.django_db(transaction=True)
def test_an_event_outside_a_transaction_is_refused() -> None:
    with pytest.raises(AuditOutsideTransaction, match="must be written inside a transaction"):
        audit_record(user=None, action="view", object_type="test")
    assert AuditEvent.objects.count() == 0


def test_an_event_records_where_the_request_came_from() -> None:
    with where_from("192.0.2.7"):
        event = _record("view")
    assert event.remote_addr == "192.0.2.7"
    assert _record("view").remote_addr is None


def test_a_changed_event_breaks_the_chain_at_that_event() -> None:
    _record("view")
    changed = _record("view")
    _record("view")
    AuditEvent.objects.filter(pk=changed.pk).update(action="create")
    report = audit_verify()
    assert not report.intact
    assert (report.event_id, report.problem) == (changed.pk, "its content was changed")
    assert report.checked == 1


def test_a_removed_event_breaks_the_chain_after_it() -> None:
    _record("view")
    removed = _record("view")
    after = _record("view")
    AuditEvent.objects.filter(pk=removed.pk).delete()
    report = audit_verify()
    assert (report.event_id, report.problem) == (
        after.pk,
        "an event before it was changed or removed",
    )


def test_removing_the_newest_events_is_detected() -> None:
    _record("view")
    last = _record("view")
    AuditEvent.objects.filter(pk=last.pk).delete()
    report = audit_verify()
    assert report.problem == "events are missing from the end of the chain"


def test_a_failed_change_leaves_no_event() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(user=None, action="create", object_type="test")
        raise RuntimeError("the change failed")
    assert AuditEvent.objects.count() == 0
    assert audit_verify().intact


def test_strategise_audit_verify_command(capsys: pytest.CaptureFixture[str]) -> None:
    _record("view")
    assert main(["audit", "verify"]) == 0
    assert capsys.readouterr().out == "Audit log intact: 1 events checked.\n"
    AuditEvent.objects.update(action="tampered")
    assert main(["audit", "verify"]) == 1
    assert "Audit log broken at event" in capsys.readouterr().err
