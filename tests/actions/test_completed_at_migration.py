"""Actions done before ``completed_at`` existed get it from the audit log, which records
every update of an action in the same transaction."""

from __future__ import annotations

import importlib
from datetime import timedelta

import pytest
from django.apps import apps

from strategise.actions.models import Action, ActionStatus
from strategise.actions.services import action_create, action_update
from strategise.audit.models import AuditEvent
from strategise.discussions.models import Discussion
from strategise.organisations.models import User
from tests.discussions.support import NOW, make_child, started_discussion

pytestmark = pytest.mark.django_db

migration = importlib.import_module("strategise.actions.migrations.0005_action_completed_at")
DUE = NOW + timedelta(days=2)


@pytest.fixture
def discussion(social_worker: User, team_manager: User) -> Discussion:
    return started_discussion(
        worker=social_worker, chair=team_manager, children=[make_child(social_worker, "Amara")]
    )


def _action(discussion: Discussion, chair: User) -> Action:
    return action_create(
        user=chair,
        discussion=discussion,
        description="Visit",
        agency_code="childrens_social_care",
        due_at=DUE,
        owner=chair,
    )


def _forget_completion(*actions: Action) -> None:
    Action.objects.filter(pk__in=[a.pk for a in actions]).update(completed_at=None)


def test_a_done_action_is_completed_when_it_last_became_done(
    discussion: Discussion, team_manager: User
) -> None:
    once, reopened, still_open = (_action(discussion, team_manager) for _ in range(3))
    action_update(user=team_manager, action=once, status="done", completion_note="Seen")
    action_update(user=team_manager, action=once, status="done", completion_note="Seen alone")
    action_update(user=team_manager, action=reopened, status="done", completion_note="Seen")
    action_update(user=team_manager, action=reopened, status="open", completion_note="")
    action_update(user=team_manager, action=reopened, status="done", completion_note="Again")
    once_updates, reopened_updates = (
        list(AuditEvent.objects.filter(action="update-action", object_id=str(a.pk)))
        for a in (once, reopened)
    )
    _forget_completion(once, reopened)

    migration.completed_at_from_the_audit_log(apps, None)

    assert Action.objects.get(pk=once.pk).completed_at == once_updates[0].at
    assert Action.objects.get(pk=reopened.pk).completed_at == reopened_updates[2].at
    assert Action.objects.get(pk=still_open.pk).completed_at is None


def test_a_done_action_with_no_audit_event_is_left_without_a_time(
    discussion: Discussion, team_manager: User
) -> None:
    action = _action(discussion, team_manager)
    Action.objects.filter(pk=action.pk).update(status=ActionStatus.DONE)

    migration.completed_at_from_the_audit_log(apps, None)

    assert Action.objects.get(pk=action.pk).completed_at is None
