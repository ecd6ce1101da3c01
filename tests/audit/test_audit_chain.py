"""The audit log is append-only, keyed and hash-chained; tampering is detected."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import override_settings

from strategise.audit.models import AuditEvent
from strategise.audit.sealing import GENESIS, HMAC_SHA256
from strategise.audit.services import AuditOutsideTransaction, audit_record, where_from
from strategise.audit.verification import audit_verify
from strategise.cli import main
from strategise.organisations.models import LocalAuthority
from tests.audit.support import change, record, remove, rewrite_and_recompute

pytestmark = pytest.mark.django_db

OTHER_KEY = "another-audit-key-that-did-not-seal-these-events"


def test_events_chain_each_to_the_one_before() -> None:
    first = record("view", children=(3, 1, 3))
    second = record("create")
    assert first.previous_hash == GENESIS
    assert second.previous_hash == first.hash
    assert (first.sequence, second.sequence) == (1, 2)
    assert first.child_ids == [1, 3]
    assert first.scheme == second.scheme == HMAC_SHA256
    report = audit_verify()
    assert (report.intact, report.checked) == (True, 2)


@pytest.mark.django_db(transaction=True)
def test_an_event_outside_a_transaction_is_refused() -> None:
    with pytest.raises(AuditOutsideTransaction, match="must be written inside a transaction"):
        audit_record(user=None, action="view", object_type="test")
    assert AuditEvent.objects.count() == 0


def test_an_event_records_where_the_request_came_from() -> None:
    with where_from("192.0.2.7"):
        event = record("view")
    assert event.remote_addr == "192.0.2.7"
    assert record("view").remote_addr is None


def test_a_changed_event_breaks_the_chain_at_that_event() -> None:
    record()
    changed = record()
    record()
    change(changed, action="create")
    report = audit_verify()
    assert not report.intact
    assert (report.event_id, report.problem) == (changed.pk, "its content was changed")
    assert report.checked == 1


def test_an_event_rewritten_and_the_sha256_chain_recomputed_is_named() -> None:
    """Before the key, this rewrite verified as intact: every hash after it was recomputed."""
    record()
    rewritten = record()
    record()
    rewrite_and_recompute(rewritten, relabel=False, action="create")
    report = audit_verify()
    assert (report.event_id, report.problem) == (rewritten.pk, "its content was changed")


def test_an_event_rewritten_and_relabelled_unkeyed_is_named() -> None:
    record()
    rewritten = record()
    record()
    rewrite_and_recompute(rewritten, relabel=True, action="create")
    report = audit_verify()
    assert (report.event_id, report.problem) == (
        rewritten.pk,
        "it is unkeyed where only keyed events may be",
    )


def test_an_authority_chain_relabelled_unkeyed_is_named_at_its_first_event(
    authority: LocalAuthority,
) -> None:
    first = record(authority=authority)
    record(authority=authority)
    rewrite_and_recompute(first, relabel=True, object_type="forged")
    report = audit_verify()
    assert (report.event_id, report.problem) == (
        first.pk,
        "it is unkeyed where only keyed events may be",
    )


def test_the_national_chain_relabelled_unkeyed_is_refused() -> None:
    """Only the events before the key may be unkeyed, and a keyed event must follow them."""
    first = record()
    last = record()
    rewrite_and_recompute(first, relabel=True, object_type="forged")
    report = audit_verify()
    assert (report.event_id, report.problem) == (
        last.pk,
        "no keyed event seals its unkeyed events",
    )


def test_a_removed_event_breaks_the_chain_after_it() -> None:
    record()
    removed = record()
    after = record()
    remove(removed)
    report = audit_verify()
    assert (report.event_id, report.problem) == (
        after.pk,
        "an event before it was changed or removed",
    )


def test_removing_the_newest_events_is_detected() -> None:
    record()
    last = record()
    remove(last)
    report = audit_verify()
    assert report.problem == "events are missing from the end of the chain"


def test_a_failed_change_leaves_no_event() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(user=None, action="create", object_type="test")
        raise RuntimeError("the change failed")
    assert AuditEvent.objects.count() == 0
    assert audit_verify().intact


def test_verify_with_another_key_says_the_key_is_wrong() -> None:
    first = record()
    with override_settings(STRATEGISE_AUDIT_KEY=OTHER_KEY):
        report = audit_verify()
    assert report.wrong_key
    assert (report.event_id, report.problem) == (
        first.pk,
        "it was sealed with another key than STRATEGISE_AUDIT_KEY",
    )


def test_strategise_audit_verify_command(capsys: pytest.CaptureFixture[str]) -> None:
    record()
    assert main(["audit", "verify"]) == 0
    assert capsys.readouterr().out == "Audit log intact: 1 event checked in 1 chain.\n"
    change(AuditEvent.objects.get(), action="tampered")
    assert main(["audit", "verify"]) == 1
    assert "Audit log broken in chain national at event" in capsys.readouterr().err


def test_strategise_audit_verify_with_the_wrong_key_says_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    record()
    with override_settings(STRATEGISE_AUDIT_KEY=OTHER_KEY):
        assert main(["audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("Audit key wrong for chain national at event")
    assert "Set STRATEGISE_AUDIT_KEY to the key that sealed the audit log." in err


def test_strategise_audit_verify_without_a_key_says_which_setting(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with override_settings(STRATEGISE_AUDIT_KEY=""):
        assert main(["audit", "verify"]) == 2
    assert "STRATEGISE_AUDIT_KEY is not set" in capsys.readouterr().err
