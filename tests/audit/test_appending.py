"""Appending to a chain: after its own last event a process moves the head on in one
statement, and whatever moved the head meanwhile (a rolled-back savepoint, another
process) is found by that statement, never built on."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from strategise.audit.models import AuditChainHead
from strategise.audit.services import audit_record
from strategise.audit.verification import audit_verify
from strategise.organisations.models import User
from tests.audit.support import record

pytestmark = pytest.mark.django_db


def test_an_event_after_the_processs_own_costs_two_statements(
    social_worker: User, django_assert_max_num_queries: Any
) -> None:
    record(user=social_worker)
    with transaction.atomic(), django_assert_max_num_queries(2):
        # Moving the head on (which locks it) and writing the event: no read of the head.
        second = audit_record(user=social_worker, action="view", object_type="test")
    assert second.sequence == 2
    assert audit_verify().intact


def test_an_event_rolled_back_with_its_savepoint_is_not_built_on(social_worker: User) -> None:
    first = record(user=social_worker)
    with transaction.atomic():
        try:
            with transaction.atomic():
                audit_record(user=social_worker, action="view", object_type="test")
                raise RuntimeError("the change it recorded failed")
        except RuntimeError:
            pass
        after = audit_record(user=social_worker, action="view", object_type="test")
    assert (after.sequence, after.previous_hash) == (2, first.hash)
    assert audit_verify().intact


def test_a_head_another_process_moved_on_is_read_and_built_on(social_worker: User) -> None:
    record(user=social_worker)
    # Another process appended an event: the head is no longer this process's last one.
    theirs = "b" * 64
    AuditChainHead.objects.update(last_hash=theirs, count=2)
    with transaction.atomic():
        mine = audit_record(user=social_worker, action="view", object_type="test")
    assert (mine.sequence, mine.previous_hash) == (3, theirs)
    assert AuditChainHead.objects.get().last_hash == mine.hash
