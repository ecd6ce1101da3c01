"""Dates that make sense when convening (or recording one already held), and moving or
cancelling a convened discussion with its calendar update (issue 10, parts 4 and 6)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from icalendar import Calendar

from strategise.audit.models import AuditEvent
from strategise.clocks.models import DISCUSSION_HELD, Clock, ClockState
from strategise.discussions.models import Discussion, DiscussionStatus
from strategise.discussions.rescheduling import discussion_cancel, discussion_reschedule
from strategise.discussions.services import discussion_convene, discussion_start
from strategise.organisations.models import User
from strategise.policy import LONDON
from strategise.problems import Problem
from strategise.requests.models import RequestStatus, StrategyRequest
from tests.clocks.support import held_discussion
from tests.discussions.support import IDENTIFIED, NOW, invitations_for, make_child, make_request
from tests.factories import AgencyFactory, LocalAuthorityFactory, UserFactory

TOMORROW = datetime(2026, 3, 5, 14, 0, tzinfo=LONDON)


def _request(user: User) -> StrategyRequest:
    return make_request(user, [make_child(user, "Amara")])


def _convene(user: User, request: StrategyRequest, chair: User, **changes: Any) -> Discussion:
    arguments: dict[str, Any] = {
        "user": user,
        "request": request,
        "format": "virtual",
        "scheduled_for": TOMORROW,
        "chair": chair,
        "invitations": invitations_for(request, {}),
        "respond_url": lambda invitation: f"https://strategise.test/reply/{invitation.token}/",
        "now": NOW,
    }
    arguments.update(changes)
    return discussion_convene(**arguments)


def _events(message: Any) -> Any:
    name, content, mimetype = message.attachments[0]
    return Calendar.from_ical(content).walk("VEVENT")[0], mimetype


# --- convening: dates that make sense --------------------------------------------------


def test_convening_in_the_past_is_refused_unless_recording_one_already_held(
    social_worker: User, team_manager: User
) -> None:
    request = _request(social_worker)
    with pytest.raises(Problem) as caught:
        _convene(social_worker, request, team_manager, scheduled_for=NOW - timedelta(hours=1))
    assert caught.value.errors == [
        (
            "scheduled_date",
            "The discussion must be held in the future: to record one already held, choose "
            "‘Record a discussion already held’",
        )
    ]


def test_a_discussion_already_held_cannot_be_in_the_future(
    social_worker: User, team_manager: User
) -> None:
    with pytest.raises(Problem, match="already held must have been held today or in the past"):
        _convene(social_worker, _request(social_worker), team_manager, already_held=True)


def test_a_discussion_cannot_be_held_before_the_concerns_were_identified(
    social_worker: User, team_manager: User
) -> None:
    with pytest.raises(Problem) as caught:
        _convene(
            social_worker,
            _request(social_worker),
            team_manager,
            scheduled_for=IDENTIFIED - timedelta(hours=1),
            already_held=True,
        )
    assert caught.value.errors == [
        (
            "scheduled_date",
            "The discussion cannot be held before the concerns were identified "
            "(Wednesday 4 March 2026, 10am)",
        )
    ]


def test_convening_reports_every_problem_at_once(db: None, social_worker: User) -> None:
    """The reason for reconvening used to be a round of its own, before the others; now a
    Gloucestershire reconvening without its reason, in the past, without the police and
    with a social worker in the chair reports all four together."""
    gloucestershire = LocalAuthorityFactory.create(profile="gloucestershire")
    care = AgencyFactory.create(local_authority=gloucestershire, kind="childrens_social_care")
    worker = UserFactory.create(agency=care, role="social_worker")
    chair = UserFactory.create(agency=care, role="service_manager")
    previous = held_discussion(worker, chair, outcome="s17_assessment")
    request = previous.request
    with pytest.raises(Problem) as caught:
        _convene(
            worker,
            request,
            worker,
            previous=previous,
            scheduled_for=NOW - timedelta(days=1) + timedelta(hours=6),
            invitations=[s for s in invitations_for(request, {}) if s.agency_code != "police"],
        )
    fields = [field for field, _ in caught.value.errors]
    assert fields[0] == "reconvene_reason"
    assert {"scheduled_date", "chair_exception", "invitations"} <= set(fields)


def test_a_discussion_already_held_is_recorded_when_it_was_held_without_emails(
    social_worker: User, team_manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    request = _request(social_worker)
    held_at = NOW - timedelta(minutes=30)
    with django_capture_on_commit_callbacks(execute=True):
        discussion = _convene(
            social_worker, request, team_manager, scheduled_for=held_at, already_held=True
        )
    assert discussion.recorded_afterwards
    assert mail.outbox == []
    assert not discussion.invitations.filter(sent_at__isnull=False).exists()
    started = discussion_start(
        user=team_manager,
        discussion=discussion,
        attendance={i.pk: "attended" for i in discussion.invitations.all()},
        absence_reasons={},
        now=NOW + timedelta(hours=3),
    )
    # Held when it was, and its request's clock met then, not when it was recorded.
    assert started.started_at == held_at
    clock = Clock.objects.get(request=request, code=DISCUSSION_HELD)
    assert (clock.state, clock.met_at) == (ClockState.MET, held_at)


# --- rescheduling -------------------------------------------------------------------------


def test_rescheduling_moves_the_calendar_event_with_the_next_sequence_and_the_reason(
    social_worker: User, team_manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    discussion = _convene(social_worker, _request(social_worker), team_manager)
    discussion.invitations.update(response="accepted")
    later = TOMORROW + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        moved = discussion_reschedule(
            user=social_worker,
            discussion=discussion,
            scheduled_for=later,
            location="Room 2, Council House",
            reason="The chair is in court tomorrow",
            respond_url=lambda invitation: f"https://strategise.test/reply/{invitation.token}/",
            now=NOW,
        )
    assert (moved.scheduled_for, moved.location, moved.calendar_sequence) == (
        later,
        "Room 2, Council House",
        1,
    )
    assert moved.reschedule_reason == "The chair is in court tomorrow"
    # Everyone is asked again.
    assert set(moved.invitations.values_list("response", flat=True)) == {"awaiting"}
    assert len(mail.outbox) == 4
    event, mimetype = _events(mail.outbox[0])
    assert mimetype == "text/calendar; method=REQUEST; charset=UTF-8"
    assert (event.decoded("dtstart"), event["sequence"]) == (later, 1)
    assert mail.outbox[0].subject.startswith("Moved: ")
    assert AuditEvent.objects.filter(action="reschedule", object_id=str(moved.pk)).exists()


def test_rescheduling_needs_a_future_time_and_the_reason_together(
    social_worker: User, team_manager: User
) -> None:
    discussion = _convene(social_worker, _request(social_worker), team_manager)
    with pytest.raises(Problem) as caught:
        discussion_reschedule(
            user=social_worker,
            discussion=discussion,
            scheduled_for=NOW - timedelta(days=1),
            location="",
            reason=" ",
            respond_url=lambda invitation: "",
            now=NOW,
        )
    assert [field for field, _ in caught.value.errors] == ["scheduled_date", "reason"]


def test_only_social_care_reschedules_and_only_before_it_starts(
    social_worker: User, team_manager: User, police_officer: User
) -> None:
    discussion = _convene(social_worker, _request(social_worker), team_manager)
    with pytest.raises(Problem, match="Only this authority's children's social care"):
        discussion_reschedule(
            user=police_officer,
            discussion=discussion,
            scheduled_for=TOMORROW + timedelta(days=1),
            location="",
            reason="Moved",
            respond_url=lambda invitation: "",
            now=NOW,
        )
    Discussion.objects.filter(pk=discussion.pk).update(status=DiscussionStatus.STARTED)
    discussion.refresh_from_db()
    with pytest.raises(Problem, match="Only a discussion that has not started"):
        discussion_cancel(user=social_worker, discussion=discussion, reason="x", now=NOW)


# --- cancelling ---------------------------------------------------------------------------


def test_cancelling_sends_the_calendar_cancellation_and_the_request_can_be_convened_again(
    social_worker: User, team_manager: User, django_capture_on_commit_callbacks: Any
) -> None:
    request = _request(social_worker)
    discussion = _convene(social_worker, request, team_manager)
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = discussion_cancel(
            user=social_worker,
            discussion=discussion,
            reason="The family has moved to Wales",
            now=NOW,
        )
    assert cancelled.status == DiscussionStatus.CANCELLED
    assert (cancelled.cancelled_by, cancelled.cancel_reason) == (
        social_worker,
        "The family has moved to Wales",
    )
    event, mimetype = _events(mail.outbox[0])
    assert mimetype == "text/calendar; method=CANCEL; charset=UTF-8"
    assert (str(event["status"]), event["sequence"]) == ("CANCELLED", 1)
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING_CONVENING
    # Its hold-by clock still waits for a discussion.
    assert Clock.objects.get(request=request, code=DISCUSSION_HELD).state == ClockState.OPEN
    assert _convene(social_worker, request, team_manager).status == DiscussionStatus.SCHEDULED


def test_cancelling_needs_the_reason(social_worker: User, team_manager: User) -> None:
    discussion = _convene(social_worker, _request(social_worker), team_manager)
    with pytest.raises(Problem) as caught:
        discussion_cancel(user=social_worker, discussion=discussion, reason="", now=NOW)
    assert caught.value.errors == [("reason", "Give the reason the discussion is being cancelled")]


def test_cancelling_from_a_stale_page_is_refused(social_worker: User, team_manager: User) -> None:
    discussion = _convene(social_worker, _request(social_worker), team_manager)
    Discussion.objects.filter(pk=discussion.pk).update(version=discussion.version + 1)
    with pytest.raises(Problem, match="Someone else changed this discussion"):
        discussion_cancel(user=social_worker, discussion=discussion, reason="x", now=NOW)
