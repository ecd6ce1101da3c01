"""Every transition locks its row and checks state and version inside its transaction:
two at once (two threads, two connections, a barrier), exactly one succeeds.

Only PostgreSQL runs two writers at once; SQLite's immediate transactions take turns,
so there is no race to lose there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection, connections

from strategise.actions.models import Action
from strategise.actions.services import action_create
from strategise.audit.models import AuditEvent
from strategise.clocks.models import Clock, ClockState
from strategise.discussions.concluding import discussion_conclude
from strategise.discussions.corrections import correction_open
from strategise.discussions.decisions import decision_save
from strategise.discussions.models import Correction, Discussion
from strategise.discussions.recording import record_save
from strategise.discussions.services import InvitationSpec, discussion_convene, discussion_start
from strategise.minutes.models import Minutes, Sending
from strategise.minutes.services import (
    minutes_approve,
    minutes_draft,
    minutes_send,
    recipients_build,
)
from strategise.organisations.models import User
from strategise.problems import Problem
from tests.discussions.support import NOW, make_child, make_request, started_discussion
from tests.discussions.test_recording import COMPLETE_RECORD

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite runs one writer at a time, so two cannot race",
    ),
]

LATER = NOW + timedelta(hours=2)


def _at_once(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads released together; each result, or the exception raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # reported: the test says what each raised
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _one_succeeded(results: list[object]) -> Problem:
    """Exactly one succeeded; the other was told why (a Problem, not a crash)."""
    problems = [r for r in results if isinstance(r, Problem)]
    assert len(problems) == 1, results
    assert not any(isinstance(r, Exception) and not isinstance(r, Problem) for r in results)
    return problems[0]


def _copies(discussion: Discussion) -> tuple[Discussion, Discussion]:
    """The discussion as two people's pages read it, before either acts."""
    return Discussion.objects.get(pk=discussion.pk), Discussion.objects.get(pk=discussion.pk)


@pytest.fixture
def discussion(social_worker: User, team_manager: User) -> Discussion:
    discussion = started_discussion(
        worker=social_worker, chair=team_manager, children=[make_child(social_worker, "Amara")]
    )
    record_save(
        user=team_manager,
        discussion=discussion,
        values=COMPLETE_RECORD,
        expected_version=0,
        now=LATER,
    )
    decision_save(
        user=team_manager,
        discussion=discussion,
        child=discussion.request.children.get(),
        values={
            "outcome": "s47_joint",
            "also": ["recommend_icpc"],  # the child's own conference clock starts
            "rationale": "Bruising",
            "medical_decision": "arrange",
        },
        expected_version=0,
        now=LATER,
    )
    return discussion


def test_two_conclusions_at_once_conclude_once_and_start_the_clocks_once(
    discussion: Discussion, team_manager: User
) -> None:
    first, second = _copies(discussion)
    results = _at_once(
        lambda: discussion_conclude(user=team_manager, discussion=first, now=LATER),
        lambda: discussion_conclude(user=team_manager, discussion=second, now=LATER),
    )
    assert "concluded on" in str(_one_succeeded(results))
    assert Clock.objects.filter(discussion=discussion, code="icpc_held").count() == 1
    assert AuditEvent.objects.filter(action="conclude").count() == 1


def test_two_starts_at_once_start_once_and_meet_the_request_clock_once(
    social_worker: User, team_manager: User
) -> None:
    request = make_request(social_worker, [make_child(social_worker, "Amara")])
    convened = discussion_convene(
        user=social_worker,
        request=request,
        format="virtual",
        scheduled_for=NOW + timedelta(hours=1),
        chair=team_manager,
        invitations=[
            InvitationSpec(agency_code=item["code"], required=True, email="x@example.org")
            for item in request.triage["attendees"]["required"]
        ],
        respond_url=lambda invitation: "https://strategise.test/",
        now=NOW,
    )
    attendance = {i.pk: "attended" for i in convened.invitations.all()}
    first, second = _copies(convened)
    results = _at_once(
        *(
            lambda copy=copy: discussion_start(
                user=team_manager,
                discussion=copy,
                attendance=attendance,
                absence_reasons={},
                now=LATER,
            )
            for copy in (first, second)
        )
    )
    assert "Someone else changed this discussion" in str(_one_succeeded(results))
    assert AuditEvent.objects.filter(action="start").count() == 1
    assert AuditEvent.objects.filter(action="clock-met").count() == 1
    held = Clock.objects.get(request=request, discussion__isnull=True)
    assert held.state == ClockState.MET


def test_two_corrections_opened_at_once_open_one(
    discussion: Discussion, team_manager: User
) -> None:
    discussion_conclude(user=team_manager, discussion=discussion, now=LATER)
    first, second = _copies(discussion)
    results = _at_once(
        lambda: correction_open(user=team_manager, discussion=first, reason="A", now=LATER),
        lambda: correction_open(user=team_manager, discussion=second, reason="B", now=LATER),
    )
    _one_succeeded(results)
    assert Correction.objects.filter(discussion=discussion).count() == 1


def test_two_approvals_at_once_approve_once(discussion: Discussion, team_manager: User) -> None:
    discussion_conclude(user=team_manager, discussion=discussion, now=LATER)
    draft = minutes_draft(user=team_manager, discussion=discussion, now=LATER)
    first, second = Minutes.objects.get(pk=draft.pk), Minutes.objects.get(pk=draft.pk)
    results = _at_once(
        lambda: minutes_approve(
            user=team_manager, minutes=first, revision=first.revision, now=LATER
        ),
        lambda: minutes_approve(
            user=team_manager, minutes=second, revision=second.revision, now=LATER
        ),
    )
    _one_succeeded(results)
    assert AuditEvent.objects.filter(action="approve-minutes").count() == 1


def test_two_sends_at_once_send_each_recipient_once(
    discussion: Discussion, team_manager: User
) -> None:
    discussion_conclude(user=team_manager, discussion=discussion, now=LATER)
    minutes = minutes_approve(
        user=team_manager,
        minutes=minutes_draft(user=team_manager, discussion=discussion, now=LATER),
        revision=1,
        now=LATER,
    )
    recipients = recipients_build(user=team_manager, discussion=discussion)
    first, second = Minutes.objects.get(pk=minutes.pk), Minutes.objects.get(pk=minutes.pk)
    results = _at_once(
        *(
            lambda copy=copy: minutes_send(
                user=team_manager,
                minutes=copy,
                now=LATER,
                pdf=lambda document: b"%PDF",
                read_link="https://strategise.test/minutes/",
            )
            for copy in (first, second)
        )
    )
    assert "has been sent this version" in str(_one_succeeded(results))
    assert Sending.objects.filter(minutes=minutes).count() == len(
        [r for r in recipients if r.included]
    )


def test_the_same_form_posted_twice_at_once_adds_one_action(
    discussion: Discussion, team_manager: User
) -> None:
    def add() -> Action:
        return action_create(
            user=team_manager,
            discussion=discussion,
            description="Visit Amara",
            agency_code="childrens_social_care",
            due_at=LATER + timedelta(days=1),
            owner=team_manager,
            token="one-form",
        )

    results = _at_once(add, add)
    assert all(isinstance(r, Action) for r in results), results
    first, second = results
    assert isinstance(first, Action) and isinstance(second, Action)
    assert first.pk == second.pk
    assert Action.objects.filter(discussion=discussion).count() == 1
    assert AuditEvent.objects.filter(action="create-action").count() == 1
