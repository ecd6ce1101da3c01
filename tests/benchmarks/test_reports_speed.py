"""How long one year's performance report takes for a large authority's five years.

A large English authority holds a few thousand section 47 enquiries a year; this builds
5,000 requests a year for five years (25,000 requests, about 26,000 held discussions,
105,000 invitations, 26,000 decisions, 63,000 clocks and 52,000 actions) straight into the
database with ``bulk_create``, then times every figure of the report for the last year.
``make bench`` runs it on SQLite, and on PostgreSQL when ``DATABASE_URL`` is set.

Medians when this was written (5 rounds after a warm-up, one process): SQLite 0.17 s,
PostgreSQL 15 0.16 s. Building the data takes under a minute.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.models import F

from strategise.actions.models import Action, ActionStatus
from strategise.cases.models import Child
from strategise.clocks.models import Clock, ClockState
from strategise.discussions.models import (
    Attendance,
    ChildDecision,
    Discussion,
    DiscussionStatus,
    Format,
    Invitation,
    Outcome,
)
from strategise.organisations.models import LocalAuthority, User
from strategise.policy import LONDON, Within, WorkingCalendar, triage
from strategise.reports.period import Period
from strategise.reports.selectors import performance_report
from strategise.requests.models import RequestChild, RequestStatus, StrategyRequest

YEARS = 5
REQUESTS_PER_YEAR = 5_000
FIRST_DAY = datetime(2021, 4, 1, 8, tzinfo=LONDON)
LAST_YEAR = Period(date(2025, 4, 1), date(2026, 3, 31))
NOW = datetime(2026, 4, 15, 12, tzinfo=LONDON)
RULES = (
    (Within("same_day"), 2),
    (Within("working_days", 1), 2),
    (Within("working_days", 3), 5),
    (Within("hours", 24), 1),
)
OUTCOMES = (
    (Outcome.S47_JOINT, 25),
    (Outcome.S47_SOCIAL_CARE, 15),
    (Outcome.NO_FURTHER_ACTION, 20),
    (Outcome.S17_ASSESSMENT, 20),
    (Outcome.EARLY_HELP, 10),
    (Outcome.POLICE_ONLY, 5),
    (Outcome.CONTINUE_PLAN, 5),
)
CALENDAR = WorkingCalendar()


def _weighted(rng: random.Random, choices: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([value for value, _ in choices], [weight for _, weight in choices])[0]


def _clock_state(rng: random.Random, due: datetime) -> tuple[str, datetime | None]:
    roll = rng.random()
    if due > NOW and roll < 0.5:
        return ClockState.OPEN, None
    if roll < 0.8:
        return ClockState.MET, due - timedelta(hours=rng.randint(1, 48))
    if roll < 0.9:
        return ClockState.MET_LATE, due + timedelta(hours=rng.randint(1, 72))
    if roll < 0.95:
        return ClockState.STOPPED, None
    return ClockState.OPEN, None


def build(authority: LocalAuthority, worker: User, chair: User) -> int:
    """Five years of requests, discussions and what followed; returns the request count."""
    rng = random.Random(47)  # noqa: S311 - repeatable made-up data, not a secret
    answer = triage(
        {"profile": "sandwell", "identified_at": "2026-03-06T10:15", "concerns": ["physical_abuse"]}
    ).to_dict()
    total = YEARS * REQUESTS_PER_YEAR
    step = timedelta(days=365 * YEARS) / total
    children = Child.objects.bulk_create(
        Child(local_authority=authority, first_name=f"Child{n}", last_name="Bench")
        for n in range(total)
    )
    requests = []
    for n in range(total):
        identified = FIRST_DAY + n * step
        within = _weighted(rng, RULES)
        hold_by = CALENDAR.deadline(within, identified)
        timescale = {
            **answer["timescales"][0],
            "within": within.describe(),
            "hold_by": hold_by.isoformat(),
        }
        requests.append(
            StrategyRequest(
                local_authority=authority,
                raised_by=worker,
                identified_at=identified,
                narrative="Bruising seen at school.",
                status=RequestStatus.HELD,
                facts={"profile": "sandwell", "concerns": ["physical_abuse"]},
                triage={**answer, "timescales": [timescale], "hold_by": hold_by.isoformat()},
                profile="sandwell",
                profile_version=answer["profile_version"],
                discussion_type="standard",
                hold_by=hold_by,
            )
        )
    requests = StrategyRequest.objects.bulk_create(requests)
    # Raised when the concerns were identified, not on the day the benchmark runs
    # (``auto_now_add``): the report counts the requests raised in its period.
    StrategyRequest.objects.filter(local_authority=authority).update(raised_at=F("identified_at"))
    RequestChild.objects.bulk_create(
        RequestChild(request=request, child=child, household="h1")
        for request, child in zip(requests, children, strict=True)
    )

    discussions = []
    for request in requests:
        hold_by = request.hold_by or request.identified_at
        roll = rng.random()
        started: datetime | None
        if roll < 0.03:
            started = None
        elif roll < 0.88:
            started = request.identified_at + (hold_by - request.identified_at) * rng.random()
        else:
            started = hold_by + timedelta(hours=rng.randint(1, 48))
        discussions.append(
            Discussion(
                request=request,
                local_authority=authority,
                format=Format.VIRTUAL,
                scheduled_for=started or hold_by,
                chair=chair,
                convened_by=worker,
                status=DiscussionStatus.HELD if started else DiscussionStatus.SCHEDULED,
                started_at=started,
                held_at=started,
            )
        )
    discussions = Discussion.objects.bulk_create(discussions)
    reconvened = [
        Discussion(
            request=first.request,
            local_authority=authority,
            format=Format.VIRTUAL,
            scheduled_for=first.held_at + timedelta(days=days),
            chair=chair,
            convened_by=worker,
            status=DiscussionStatus.HELD,
            started_at=first.held_at + timedelta(days=days),
            held_at=first.held_at + timedelta(days=days),
            previous=first,
        )
        for first in discussions
        if first.held_at and rng.random() < 0.08 and (days := rng.randint(7, 40))
    ]
    held = [d for d in discussions if d.held_at] + Discussion.objects.bulk_create(reconvened)

    attendance = (Attendance.ATTENDED,) * 8 + (Attendance.APOLOGIES, Attendance.WRITTEN_REPORT)
    Invitation.objects.bulk_create(
        Invitation(
            discussion=discussion,
            agency_code=code,
            required=code != "legal",
            attendance=rng.choice(attendance),
        )
        for discussion in held
        for code in ("police", "health", "education", "legal")
    )
    child_of = {request.pk: child.pk for request, child in zip(requests, children, strict=True)}
    decisions: list[ChildDecision] = []
    clocks: list[Clock] = []
    actions: list[Action] = []
    for discussion in held:
        outcome = _weighted(rng, OUTCOMES)
        section_47 = outcome in (Outcome.S47_JOINT, Outcome.S47_SOCIAL_CARE)
        decisions.append(
            ChildDecision(
                discussion=discussion,
                local_authority_id=discussion.local_authority_id,
                child_id=child_of[discussion.request_id],
                outcome=outcome,
                also=["recommend_icpc"] if section_47 and rng.random() < 0.6 else [],
                rationale="Agreed.",
            )
        )
        held_at = discussion.held_at
        if held_at is None:
            continue
        codes = [("decisions_circulated", 1), ("minutes_distributed", 5)]
        if section_47:
            codes.append(("icpc_held", 15))
        for code, days in codes:
            due = CALENDAR.deadline(Within("working_days", days), held_at)
            state, met_at = _clock_state(rng, due)
            clocks.append(
                Clock(
                    local_authority=authority,
                    request_id=discussion.request_id,
                    discussion=discussion,
                    code=code,
                    started_at=held_at,
                    due_at=due,
                    source="bench",
                    rule="bench",
                    reason="bench",
                    state=state,
                    met_at=met_at,
                )
            )
        for days in (3, 10):
            actions.append(
                Action(
                    discussion=discussion,
                    local_authority_id=discussion.local_authority_id,
                    description="Visit the child",
                    due_at=held_at + timedelta(days=days),
                    status=_weighted(
                        rng,
                        (
                            (ActionStatus.DONE, 70),
                            (ActionStatus.OPEN, 25),
                            (ActionStatus.CANCELLED, 5),
                        ),
                    ),
                )
            )
    ChildDecision.objects.bulk_create(decisions)
    Clock.objects.bulk_create(clocks)
    Action.objects.bulk_create(actions)
    return len(requests)


@pytest.fixture
def large_authority(
    authority: LocalAuthority, social_worker: User, team_manager: User
) -> Iterator[LocalAuthority]:
    assert build(authority, social_worker, team_manager) == YEARS * REQUESTS_PER_YEAR
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load: without statistics the planner takes the
        # new tables for empty ones and nests loops over them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    yield authority


def test_one_years_report_over_five_years_of_a_large_authority(
    benchmark: Any, large_authority: LocalAuthority
) -> None:
    report = benchmark.pedantic(
        performance_report,
        kwargs={"authority": large_authority, "period": LAST_YEAR, "now": NOW},
        rounds=5,
        warmup_rounds=1,
    )
    timeliness = report.figures["timeliness"].total
    assert 4_900 <= timeliness.on_time + timeliness.late + timeliness.overdue <= 5_100
    assert report.figures["outcomes"].total > 5_000
