"""Ending a request without a discussion: closed by a manager with the reason (Bristol's
contextual safeguarding guidance: "Manager will take a view about whether strategy meeting
needed"), or withdrawn by whoever raised it or a manager; its hold-by clock stops."""

from __future__ import annotations

from datetime import timedelta

import pytest

from strategise.audit.models import AuditEvent
from strategise.clocks.models import DISCUSSION_HELD, Clock, ClockState
from strategise.discussions.services import discussion_convene
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.problems import Problem
from strategise.requests.models import RequestStatus, StrategyRequest
from strategise.requests.services import request_close, request_withdraw
from tests.discussions.support import NOW, invitations_for, make_child, make_request
from tests.factories import AgencyFactory, LocalAuthorityFactory, UserFactory

LATER = NOW + timedelta(hours=1)


def _request(user: User) -> StrategyRequest:
    return make_request(user, [make_child(user, "Amara")])


def test_a_team_manager_closes_a_request_without_a_discussion_and_its_clock_stops(
    social_worker: User, team_manager: User
) -> None:
    request = _request(social_worker)
    other = _request(social_worker)
    closed = request_close(
        user=team_manager, request=request, reason="Support from early help instead", now=LATER
    )
    assert closed.status == RequestStatus.CLOSED
    assert (closed.ended_by, closed.ended_at, closed.ended_reason) == (
        team_manager,
        LATER,
        "Support from early help instead",
    )
    clock = Clock.objects.get(request=request, code=DISCUSSION_HELD)
    assert (clock.state, clock.stopped_at, clock.remind_at) == (ClockState.STOPPED, LATER, None)
    assert clock.stopped_reason == "Closed without a discussion: Support from early help instead"
    assert AuditEvent.objects.filter(action="close", object_id=str(request.pk)).exists()
    stopped = AuditEvent.objects.get(action="clock-stopped")
    assert (stopped.user, stopped.object_id) == (team_manager, str(clock.pk))
    assert stopped.child_ids == [request.children.get().pk]
    assert stopped.detail == {"code": DISCUSSION_HELD, "reason": clock.stopped_reason}
    # Only this request's clock: another request's goes on.
    assert Clock.objects.get(request=other).state == ClockState.OPEN


def test_a_social_worker_cannot_close_a_request(social_worker: User) -> None:
    with pytest.raises(Problem, match="Only a team manager or above"):
        request_close(user=social_worker, request=_request(social_worker), reason="x", now=LATER)


def test_bristol_6_contextual_safeguarding_closing_cites_the_managers_view(db: None) -> None:
    bristol = LocalAuthorityFactory.create(profile="bristol")
    care = AgencyFactory.create(local_authority=bristol, kind="childrens_social_care")
    worker = UserFactory.create(agency=care, role=Role.SOCIAL_WORKER)
    manager = UserFactory.create(agency=care, role=Role.TEAM_MANAGER)
    with pytest.raises(Problem) as caught:
        request_close(user=manager, request=_request(worker), reason=" ", now=LATER)
    assert caught.value.errors == [
        (
            "reason",
            "Give the reason no strategy discussion is needed (001_2d544eb75ad81283.txt "
            "§6 Contextual safeguarding — Contextual Safeguarding)",
        )
    ]


def test_sandwell_states_no_such_clause_so_none_is_cited(
    social_worker: User, team_manager: User
) -> None:
    with pytest.raises(Problem) as caught:
        request_close(user=team_manager, request=_request(social_worker), reason="", now=LATER)
    assert caught.value.errors == [("reason", "Give the reason no strategy discussion is needed")]


def test_whoever_raised_it_withdraws_it_with_the_reason(
    social_worker: User, authority: LocalAuthority
) -> None:
    request = _request(social_worker)
    other = UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.SOCIAL_WORKER
    )
    with pytest.raises(Problem, match="Only whoever raised the request"):
        request_withdraw(user=other, request=request, reason="x", now=LATER)
    with pytest.raises(Problem, match="Give the reason"):
        request_withdraw(user=social_worker, request=request, reason="", now=LATER)
    withdrawn = request_withdraw(
        user=social_worker, request=request, reason="Raised for the wrong child", now=LATER
    )
    assert withdrawn.status == RequestStatus.WITHDRAWN
    assert Clock.objects.get(request=request).stopped_reason == (
        "Withdrawn: Raised for the wrong child"
    )


def test_a_request_with_a_discussion_convened_is_not_ended_until_it_is_cancelled(
    social_worker: User, team_manager: User
) -> None:
    request = _request(social_worker)
    discussion_convene(
        user=social_worker,
        request=request,
        format="virtual",
        scheduled_for=LATER,
        chair=team_manager,
        invitations=invitations_for(request, {}),
        respond_url=lambda invitation: "",
        now=NOW,
    )
    request.refresh_from_db()
    with pytest.raises(Problem, match="cancel the discussion first"):
        request_close(user=team_manager, request=request, reason="x", now=LATER)


def test_ending_from_a_stale_page_is_refused(social_worker: User, team_manager: User) -> None:
    request = _request(social_worker)
    StrategyRequest.objects.filter(pk=request.pk).update(version=request.version + 1)
    with pytest.raises(Problem, match="Someone else changed this request"):
        request_close(user=team_manager, request=request, reason="x", now=LATER)
