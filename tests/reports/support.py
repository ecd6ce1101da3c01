"""Rows written by hand for the reports' tests, so each test states exactly what exists.

The figures read what the services leave behind (a request's frozen triage, a discussion's
times and status, invitations' attendance, decisions, clocks, actions); writing those rows
directly lets a test pin each time to the minute and work the right answer out by hand.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from strategise.actions.models import Action, ActionStatus
from strategise.cases.models import Child
from strategise.clocks.models import Clock, ClockState
from strategise.discussions.models import (
    ChildDecision,
    Discussion,
    DiscussionStatus,
    Format,
    Invitation,
)
from strategise.organisations.models import LocalAuthority, User
from strategise.policy import LONDON
from strategise.reports.period import Period
from strategise.requests.models import RequestChild, RequestStatus, StrategyRequest
from tests.factories import ChildFactory

APRIL_2026 = Period(date(2026, 4, 1), date(2026, 4, 30))


def at(day: int, hour: int = 10, minute: int = 0, *, month: int = 4, year: int = 2026) -> datetime:
    """A London time, in April 2026 unless told otherwise."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def request_row(
    authority: LocalAuthority,
    raised_by: User,
    *,
    hold_by: datetime,
    within: str = "three working days",
    children: list[Child] | None = None,
    status: str = RequestStatus.CONVENED,
    raised_at: datetime | None = None,
) -> StrategyRequest:
    """A request whose triage's first (earliest) timescale is ``within``, due at ``hold_by``,
    raised at ``raised_at`` (by default when the concerns were identified, a day before)."""
    request = StrategyRequest.objects.create(
        local_authority=authority,
        raised_by=raised_by,
        identified_at=hold_by - timedelta(days=1),
        narrative="Concerns reported by the school.",
        status=status,
        facts={},
        triage={
            "timescales": [
                {"within": within, "hold_by": hold_by.isoformat(), "rule": "", "source": ""}
            ]
        },
        profile=authority.profile,
        profile_version="test",
        discussion_type="standard",
        hold_by=hold_by,
    )
    # raised_at is set when the row is written; a test says when it was.
    request.raised_at = raised_at or request.identified_at
    StrategyRequest.objects.filter(pk=request.pk).update(raised_at=request.raised_at)
    for child in children or [ChildFactory.create(local_authority=authority)]:
        RequestChild.objects.create(request=request, child=child, household="h1")
    return request


def discussion_row(
    request: StrategyRequest,
    chair: User,
    *,
    started_at: datetime | None = None,
    held: bool = True,
    previous: Discussion | None = None,
) -> Discussion:
    """A discussion started at ``started_at`` (if given) and, if ``held``, concluded then."""
    status = DiscussionStatus.SCHEDULED
    if started_at is not None:
        status = DiscussionStatus.HELD if held else DiscussionStatus.STARTED
    return Discussion.objects.create(
        request=request,
        local_authority_id=request.local_authority_id,
        format=Format.VIRTUAL,
        scheduled_for=started_at or request.hold_by or at(1),
        chair=chair,
        convened_by=request.raised_by,
        status=status,
        started_at=started_at,
        held_at=started_at if status == DiscussionStatus.HELD else None,
        previous=previous,
    )


def held_discussion(
    authority: LocalAuthority,
    worker: User,
    chair: User,
    held_at: datetime,
    *,
    children: list[Child] | None = None,
    previous: Discussion | None = None,
) -> Discussion:
    """A request and its discussion, held at ``held_at``."""
    request = request_row(authority, worker, hold_by=held_at, children=children)
    return discussion_row(request, chair, started_at=held_at, previous=previous)


def invitation_row(
    discussion: Discussion, agency_code: str, attendance: str = "", *, required: bool = True
) -> Invitation:
    return Invitation.objects.create(
        discussion=discussion,
        agency_code=agency_code,
        name=f"Duty {agency_code}",
        required=required,
        attendance=attendance,
    )


def decision_row(
    discussion: Discussion, child: Child, outcome: str, also: tuple[str, ...] = ()
) -> ChildDecision:
    return ChildDecision.objects.create(
        discussion=discussion, child=child, outcome=outcome, also=list(also), rationale="Agreed."
    )


def clock_row(
    discussion: Discussion,
    code: str,
    due_at: datetime,
    state: str = ClockState.OPEN,
    met_at: datetime | None = None,
) -> Clock:
    return Clock.objects.create(
        local_authority_id=discussion.local_authority_id,
        request_id=discussion.request_id,
        discussion=discussion,
        started_at=discussion.held_at or discussion.scheduled_for,
        code=code,
        due_at=due_at,
        source="test",
        rule="test",
        reason="test",
        state=state,
        met_at=met_at,
    )


def action_row(
    discussion: Discussion,
    due_at: datetime,
    status: str = ActionStatus.OPEN,
    completed_at: datetime | None = None,
) -> Action:
    return Action.objects.create(
        discussion=discussion,
        description="Visit the child",
        due_at=due_at,
        status=status,
        completed_at=completed_at,
    )
