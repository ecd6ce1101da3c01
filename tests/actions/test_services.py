"""Actions: agreed by those who record a discussion, updated by their owners, audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404

from strategise.actions.models import ActionStatus
from strategise.actions.selectors import action_get
from strategise.actions.services import action_create, action_update
from strategise.audit.models import AuditEvent
from strategise.discussions.models import Discussion
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.problems import Problem
from tests.discussions.support import NOW, make_child, started_discussion
from tests.factories import DiscussionFactory, UserFactory

pytestmark = pytest.mark.django_db

DUE = NOW + timedelta(days=2)


@pytest.fixture
def other_police_officer(authority: LocalAuthority) -> User:
    """A police officer in the same authority who is not invited."""
    return UserFactory.create(agency=authority.agencies.get(kind="police"), role=Role.POLICE)


@pytest.fixture
def discussion(social_worker: User, team_manager: User, police_officer: User) -> Discussion:
    return started_discussion(
        worker=social_worker,
        chair=team_manager,
        children=[make_child(social_worker, "Amara")],
        users={"police": police_officer},
    )


def test_the_chair_agrees_an_action_for_an_invited_officer(
    discussion: Discussion, team_manager: User, police_officer: User
) -> None:
    action = action_create(
        user=team_manager,
        discussion=discussion,
        description="Complete police checks on the adults",
        agency_code="",
        due_at=DUE,
        owner=police_officer,
    )
    assert (action.owner, action.owner_name, action.agency_code) == (
        police_officer,
        str(police_officer),
        "police",
    )
    event = AuditEvent.objects.get(action="create-action")
    assert event.object_id == str(action.pk)
    assert event.child_ids == list(discussion.request.children.values_list("pk", flat=True))


def test_an_action_for_someone_who_does_not_use_strategise_needs_their_agency(
    discussion: Discussion, team_manager: User
) -> None:
    with pytest.raises(Problem) as caught:
        action_create(
            user=team_manager,
            discussion=discussion,
            description="Share attendance records",
            agency_code="",
            due_at=DUE,
            owner_name="Amir Khan",
        )
    assert caught.value.errors == [("agency_code", "Select the agency that will do it")]
    action = action_create(
        user=team_manager,
        discussion=discussion,
        description="Share attendance records",
        agency_code="education",
        due_at=DUE,
        owner_name="Amir Khan",
    )
    assert (action.owner, action.owner_name) == (None, "Amir Khan")


def test_an_action_needs_what_who_and_when(discussion: Discussion, team_manager: User) -> None:
    with pytest.raises(Problem) as caught:
        action_create(
            user=team_manager,
            discussion=discussion,
            description=" ",
            agency_code="police",
            due_at=None,
        )
    assert caught.value.errors == [
        ("description", "Enter what will be done"),
        ("owner", "Choose who will do it, or enter their name"),
        ("due", "Enter the date it will be done by"),
    ]


def test_an_action_is_due_after_the_discussion(discussion: Discussion, team_manager: User) -> None:
    with pytest.raises(Problem) as caught:
        action_create(
            user=team_manager,
            discussion=discussion,
            description="Visit",
            agency_code="childrens_social_care",
            due_at=NOW - timedelta(days=1),
            owner=team_manager,
        )
    assert caught.value.errors == [
        ("due", "The date it will be done by must be after the discussion")
    ]


def test_the_owner_must_be_able_to_see_the_discussion(
    discussion: Discussion, team_manager: User, other_police_officer: User
) -> None:
    with pytest.raises(Problem) as caught:
        action_create(
            user=team_manager,
            discussion=discussion,
            description="Visit",
            agency_code="police",
            due_at=DUE,
            owner=other_police_officer,
        )
    assert caught.value.errors == [
        (
            "owner",
            f"{other_police_officer} is not invited to this discussion: choose someone who is",
        )
    ]


def test_an_invited_agency_cannot_add_actions(discussion: Discussion, police_officer: User) -> None:
    with pytest.raises(Problem, match="Only the chair, the minute-taker or children's social"):
        action_create(
            user=police_officer,
            discussion=discussion,
            description="Visit",
            agency_code="police",
            due_at=DUE,
            owner=police_officer,
        )


def test_actions_wait_for_the_discussion_to_start(team_manager: User) -> None:
    scheduled = DiscussionFactory.create(chair=team_manager)
    with pytest.raises(Problem, match="Actions are agreed at the discussion: start it first"):
        action_create(
            user=team_manager,
            discussion=scheduled,
            description="Visit",
            agency_code="childrens_social_care",
            due_at=DUE,
            owner=team_manager,
        )


def test_the_owner_marks_it_done_saying_what_was_done(
    discussion: Discussion, team_manager: User, police_officer: User
) -> None:
    action = action_create(
        user=team_manager,
        discussion=discussion,
        description="Police checks",
        agency_code="police",
        due_at=DUE,
        owner=police_officer,
    )
    with pytest.raises(Problem) as caught:
        action_update(user=police_officer, action=action, status="done", completion_note="")
    assert caught.value.errors == [("completion_note", "Say what was done, or why it was done")]
    action_update(
        user=police_officer, action=action, status="done", completion_note="No trace on PNC"
    )
    action.refresh_from_db()
    assert (action.status, action.completion_note) == (ActionStatus.DONE, "No trace on PNC")
    assert AuditEvent.objects.filter(action="update-action", object_id=str(action.pk)).exists()


def test_marking_it_done_records_when_and_reopening_clears_it(
    discussion: Discussion, team_manager: User, police_officer: User
) -> None:
    action = action_create(
        user=team_manager,
        discussion=discussion,
        description="Police checks",
        agency_code="police",
        due_at=DUE,
        owner=police_officer,
    )
    assert action.completed_at is None
    done_at = DUE - timedelta(hours=3)
    action_update(
        user=police_officer, action=action, status="done", completion_note="None", now=done_at
    )
    action.refresh_from_db()
    assert action.completed_at == done_at
    event = AuditEvent.objects.filter(action="update-action").latest("pk")
    assert event.detail == {"status": "done", "completed_at": done_at.isoformat()}
    # Correcting the note later keeps when it was done.
    action_update(
        user=police_officer,
        action=action,
        status="done",
        completion_note="No trace on PNC",
        now=DUE + timedelta(days=1),
    )
    action.refresh_from_db()
    assert action.completed_at == done_at
    # Reopened, then done again: the second time counts.
    action_update(user=team_manager, action=action, status="open", completion_note="", now=DUE)
    action.refresh_from_db()
    assert action.completed_at is None
    again = DUE + timedelta(hours=1)
    action_update(user=police_officer, action=action, status="done", completion_note="x", now=again)
    action.refresh_from_db()
    assert action.completed_at == again
    action_update(user=team_manager, action=action, status="cancelled", completion_note="Moved")
    action.refresh_from_db()
    assert action.completed_at is None


def test_a_cancelled_action_needs_the_reason_and_a_status_must_be_known(
    discussion: Discussion, team_manager: User
) -> None:
    action = action_create(
        user=team_manager,
        discussion=discussion,
        description="Visit",
        agency_code="childrens_social_care",
        due_at=DUE,
        owner=team_manager,
    )
    with pytest.raises(Problem) as caught:
        action_update(user=team_manager, action=action, status="cancelled", completion_note="")
    assert caught.value.errors == [
        ("completion_note", "Say what was done, or why it was cancelled")
    ]
    with pytest.raises(Problem) as caught:
        action_update(user=team_manager, action=action, status="lost", completion_note="")
    assert caught.value.errors == [
        ("status", "Select whether the action is open, done or cancelled")
    ]
    # Reopening needs no note.
    assert action_update(user=team_manager, action=action, status="open", completion_note="")


def test_only_the_owner_or_a_recorder_updates_an_action(
    discussion: Discussion, team_manager: User, police_officer: User
) -> None:
    action = action_create(
        user=team_manager,
        discussion=discussion,
        description="Visit",
        agency_code="childrens_social_care",
        due_at=DUE,
        owner=team_manager,
    )
    with pytest.raises(Problem, match="Only the action's owner, the chair or the minute-taker"):
        action_update(user=police_officer, action=action, status="done", completion_note="x")


def test_an_action_is_read_through_the_users_scope_and_audited(
    discussion: Discussion, team_manager: User, police_officer: User, other_police_officer: User
) -> None:
    action = action_create(
        user=team_manager,
        discussion=discussion,
        description="Visit",
        agency_code="childrens_social_care",
        due_at=DUE,
        owner=team_manager,
    )
    assert action_get(user=police_officer, pk=action.pk) == action
    assert AuditEvent.objects.filter(action="view", object_id=str(action.pk)).count() == 1
    with pytest.raises(Http404):
        action_get(user=other_police_officer, pk=action.pk)
