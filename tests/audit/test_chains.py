"""One chain per local authority, and a national chain for events with no authority."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import OperationalError, connection, transaction

from strategise.audit.models import AuditChainHead, AuditEvent
from strategise.audit.sealing import GENESIS
from strategise.audit.services import audit_record
from strategise.audit.verification import audit_verify
from strategise.discussions.selectors import invitation_by_token
from strategise.discussions.services import invitation_respond
from strategise.organisations.models import LocalAuthority, User
from strategise.reports.selectors import Period, returns_enquiries
from tests.audit.support import change, record
from tests.factories import ChildFactory, InvitationFactory

pytestmark = pytest.mark.django_db


def test_each_authority_has_its_own_chain(
    social_worker: User, other_authority_social_worker: User
) -> None:
    sandwell = [record(user=social_worker), record(user=social_worker)]
    birmingham = record(user=other_authority_social_worker)
    assert [e.local_authority_id for e in sandwell] == [social_worker.local_authority_id] * 2
    assert birmingham.local_authority_id == other_authority_social_worker.local_authority_id
    assert [(e.sequence, e.previous_hash) for e in sandwell] == [
        (1, GENESIS),
        (2, sandwell[0].hash),
    ]
    assert (birmingham.sequence, birmingham.previous_hash) == (1, GENESIS)
    report = audit_verify()
    assert [(chain.chain, chain.checked) for chain in report.chains] == [
        ("sandwell", 2),
        ("birmingham", 1),
    ]
    assert report.intact


def test_an_event_with_no_authority_joins_the_national_chain() -> None:
    event = record()
    assert event.local_authority_id is None
    head = AuditChainHead.objects.get()
    assert (head.local_authority_id, head.last_hash, head.count) == (None, event.hash, 1)
    assert [chain.chain for chain in audit_verify().chains] == ["national"]


def test_a_named_authority_is_the_chain_whatever_the_user(
    social_worker: User, other_authority_social_worker: User
) -> None:
    birmingham = other_authority_social_worker.agency.local_authority  # type: ignore[union-attr]
    event = record(user=social_worker, authority=birmingham)
    assert event.local_authority_id == birmingham.pk


def test_without_a_user_the_objects_authority_is_the_chain(authority: LocalAuthority) -> None:
    child = ChildFactory.create(local_authority=authority)
    with transaction.atomic():
        event = audit_record(user=None, action="clock-breached", obj=child)
    assert event.local_authority_id == authority.pk


def test_a_break_in_one_chain_leaves_the_others_intact(
    social_worker: User, other_authority_social_worker: User
) -> None:
    record(user=social_worker)
    changed = record(user=other_authority_social_worker)
    record()
    change(changed, action="tampered")
    report = audit_verify()
    assert [(chain.chain, chain.intact) for chain in report.chains] == [
        ("national", True),
        ("sandwell", True),
        ("birmingham", False),
    ]
    assert report.event_id == changed.pk


def test_a_chain_whose_head_was_removed_is_reported(social_worker: User) -> None:
    record(user=social_worker)
    AuditChainHead.objects.all().delete()
    report = audit_verify()
    assert (report.broken[0].chain, report.problem) == ("sandwell", "the chain has no head")


def test_events_past_the_head_are_reported(social_worker: User) -> None:
    record(user=social_worker)
    record(user=social_worker)
    AuditChainHead.objects.update(count=1)
    assert audit_verify().problem == "its head does not match its last event"


def _append_in_thread(user: User, outcome: list[str]) -> None:
    """Append one event on a connection of its own, giving up after a second's wait."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '1s'")
            audit_record(user=user, action="view", object_type="test")
        outcome.append("appended")
    except OperationalError:
        outcome.append("waited for the lock")
    finally:
        connection.close()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks: PostgreSQL only")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("same_authority", "expected"), [(False, "appended"), (True, "waited for the lock")]
)
def test_an_open_append_holds_up_only_its_own_authority(
    social_worker: User,
    team_manager: User,
    other_authority_social_worker: User,
    same_authority: bool,
    expected: str,
) -> None:
    other = team_manager if same_authority else other_authority_social_worker
    outcome: list[str] = []
    with transaction.atomic():
        audit_record(user=social_worker, action="view", object_type="test")
        # Sandwell's head stays locked until this transaction ends.
        thread = threading.Thread(target=_append_in_thread, args=(other, outcome))
        thread.start()
        thread.join()
    assert outcome == [expected]


def test_a_reply_link_opened_and_answered_joins_the_discussions_chain(db: None) -> None:
    invitation = InvitationFactory.create(by_email=True)
    invitation_by_token(invitation.token)
    invitation_respond(invitation=invitation, response="accepted", user=None)
    events = AuditEvent.objects.filter(object_type="discussions.Invitation")
    assert sorted(events.values_list("action", "local_authority_id")) == [
        ("respond", invitation.discussion.local_authority_id),
        ("view-by-link", invitation.discussion.local_authority_id),
    ]


def test_a_return_exported_from_the_command_line_joins_its_authoritys_chain(
    authority: LocalAuthority,
) -> None:
    period = Period(date(2025, 4, 1), date(2026, 3, 31))
    returns_enquiries(authority=authority, period=period, user=None, purpose="annex-a")
    event = AuditEvent.objects.get(action="export-return")
    assert (event.user_id, event.local_authority_id) == (None, authority.pk)
