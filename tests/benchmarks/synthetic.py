"""A large authority's five years of strategy discussions, for benchmarks.

A large English authority holds a few thousand section 47 enquiries a year; this builds
5,000 requests a year for five years straight into the database with ``bulk_create``:
about 25,000 requests and children, 27,000 discussions, 108,000 invitations, 27,000
decisions, 190,000 clocks, 54,000 actions and 250 disagreements, across ten social care
teams. History is mostly closed, as in a well-run authority: old clocks met (some late,
a few stopped, a few left overdue), old actions done, and the last days' requests still
open. The same seed always gives the same data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import F, JSONField, Model
from django.utils import timezone
from psycopg.types.json import Jsonb

from strategise.actions.models import Action, ActionStatus
from strategise.cases.models import Child
from strategise.cases.names import fold
from strategise.clocks.models import DISCUSSION_HELD, Clock, ClockState
from strategise.disagreements.models import Disagreement, DisagreementStatus, Subject
from strategise.discussions.models import (
    Attendance,
    ChildDecision,
    Discussion,
    DiscussionStatus,
    Format,
    Invitation,
    Outcome,
)
from strategise.organisations.models import Agency, LocalAuthority, Role, Team, User
from strategise.policy import LONDON, Within, WorkingCalendar, triage
from strategise.requests.models import RequestChild, RequestStatus, StrategyRequest

YEARS = 5
REQUESTS_PER_YEAR = 5_000
TEAMS = 10
WORKERS_PER_TEAM = 8
NOW = datetime(2026, 4, 15, 12, tzinfo=LONDON)
CALENDAR = WorkingCalendar()
BATCH = 2_000

# How soon the discussion must be held (Sandwell's timescales), and how often.
HOLD_BY = ((Within("same_day"), 2), (Within("working_days", 1), 2), (Within("working_days", 3), 6))
OUTCOMES = (
    (Outcome.S47_JOINT, 25),
    (Outcome.S47_SOCIAL_CARE, 15),
    (Outcome.NO_FURTHER_ACTION, 20),
    (Outcome.S17_ASSESSMENT, 25),
    (Outcome.EARLY_HELP, 15),
)
SECTION_47 = (Outcome.S47_JOINT, Outcome.S47_SOCIAL_CARE)
# The clocks a held discussion starts: code, timescale, and whether it runs from the
# identification of concerns rather than the discussion.
DISCUSSION_CLOCKS = (
    ("decisions_circulated", Within("working_days", 1), False),
    ("minutes_distributed", Within("working_days", 5), False),
    ("next_discussion_by", Within("days", 28), False),
    ("process_concluded", Within("months", 3), False),
    ("assessment_completed", Within("working_days", 45), True),
)
ICPC = ("icpc_held", Within("working_days", 15), False)


@dataclass(frozen=True)
class LargeAuthority:
    authority: LocalAuthority
    teams: list[Team]
    head_of_service: User
    requests: int
    discussions: int
    clocks: int
    actions: int


def _insert[M: Model](model: type[M], rows: list[M] | Any) -> list[M]:
    """Add the rows, as ``bulk_create`` does (each given its key), but on PostgreSQL by
    COPY: its keys taken from the table's sequence first, and the values sent as they
    are, without Django preparing each one (which took most of the time at 10×). The
    generator sets every value the models would (no ``save`` runs either way)."""
    rows = list(rows)
    if connection.vendor != "postgresql" or not rows:
        return model._default_manager.bulk_create(rows, batch_size=BATCH)
    table = model._meta.db_table
    fields = model._meta.concrete_fields
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(rows)],
        )
        for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
            row.pk = pk
        names = ", ".join(connection.ops.quote_name(str(field.column)) for field in fields)
        raw = cursor.cursor
        with raw.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                values = []
                for field in fields:
                    value = getattr(row, field.attname)
                    automatic = getattr(field, "auto_now", False) or getattr(
                        field, "auto_now_add", False
                    )
                    if value is None and automatic:
                        value = now
                        setattr(row, field.attname, value)
                    elif isinstance(field, JSONField):
                        value = Jsonb(value)
                    values.append(value)
                copy.write_row(values)
    for row in rows:
        row._state.adding = False
        row._state.db = connection.alias
    return rows


def _weighted(rng: random.Random, choices: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([value for value, _ in choices], [weight for _, weight in choices])[0]


def _closed_state(rng: random.Random, due: datetime) -> tuple[str, datetime | None]:
    """How a clock whose due time has passed ended: mostly met, some late, a few not."""
    roll = rng.random()
    if roll < 0.86:
        return ClockState.MET, due - timedelta(hours=rng.randint(1, 20))
    if roll < 0.96:
        return ClockState.MET_LATE, due + timedelta(hours=rng.randint(1, 72))
    if roll < 0.995:
        return ClockState.STOPPED, None
    return ClockState.BREACHED, None


def _people(
    authority: LocalAuthority, prefix: str
) -> tuple[list[Team], list[list[User]], User, list[User]]:
    social_care = Agency.objects.get(local_authority=authority, kind="childrens_social_care")
    police = Agency.objects.get(local_authority=authority, kind="police")
    password = make_password(None)
    teams = _insert(
        Team, [Team(agency=social_care, name=f"Assessment team {n + 1}") for n in range(TEAMS)]
    )
    members: list[list[User]] = []
    for n, team in enumerate(teams):
        people = [
            User(
                username=f"{prefix}-{n}-{m}",
                password=password,
                agency=social_care,
                team=team,
                role=Role.TEAM_MANAGER if m == 0 else Role.SOCIAL_WORKER,
                first_name=f"Worker{m}",
                last_name=f"Team{n + 1}",
            )
            for m in range(WORKERS_PER_TEAM + 1)
        ]
        members.append(_insert(User, people))
        team.manager = members[-1][0]
    Team.objects.bulk_update(teams, ["manager"])
    head = User.objects.create(
        username=f"{prefix}-head",
        password=password,
        agency=social_care,
        role=Role.HEAD_OF_SERVICE,
        first_name="Head",
        last_name="Of Service",
    )
    officers = _insert(
        User,
        [
            User(
                username=f"{prefix}-police-{n}",
                password=password,
                agency=police,
                role=Role.POLICE,
                first_name="Officer",
                last_name=str(n),
            )
            for n in range(20)
        ],
    )
    return teams, members, head, officers


def build_large_authority(
    authority: LocalAuthority, seed: int = 47, prefix: str = "bench"
) -> LargeAuthority:
    """Fill ``authority`` (which has social care and police agencies) with five years; its
    staff's usernames start with ``prefix``."""
    rng = random.Random(seed)  # noqa: S311 - repeatable made-up data, not a secret
    teams, members, head, officers = _people(authority, prefix)
    answer = triage(
        {"profile": "sandwell", "identified_at": "2026-03-06T10:15", "concerns": ["physical_abuse"]}
    ).to_dict()
    total = YEARS * REQUESTS_PER_YEAR
    first_day = NOW - timedelta(days=365 * YEARS)
    step = timedelta(days=365 * YEARS) / total

    children = _insert(
        Child,
        (
            Child(
                local_authority=authority,
                first_name=f"Child{n}",
                last_name="Bench",
                # A census child ID (letters and digits, ten at most) for the returns.
                local_reference=f"B{authority.pk:03d}{n:06d}",
                search_name=fold(f"Child{n} Bench"),
            )
            for n in range(total)
        ),
    )
    requests: list[StrategyRequest] = []
    raisers: list[tuple[User, int]] = []  # who raised each request, and their team
    for n in range(total):
        identified = first_day + n * step + timedelta(minutes=rng.randint(0, 600))
        hold_by = CALENDAR.deadline(_weighted(rng, HOLD_BY), identified)
        team = rng.randrange(TEAMS)
        raiser = members[team][rng.randint(1, WORKERS_PER_TEAM)]
        recent = identified > NOW - timedelta(days=4)
        status = (
            rng.choice((RequestStatus.AWAITING_CONVENING, RequestStatus.CONVENED))
            if recent
            else RequestStatus.WITHDRAWN
            if rng.random() < 0.01
            else RequestStatus.HELD
        )
        raisers.append((raiser, team))
        requests.append(
            StrategyRequest(
                local_authority=authority,
                raised_by=raiser,
                identified_at=identified,
                narrative="Bruising seen at school.",
                status=status,
                facts={"profile": "sandwell", "concerns": ["physical_abuse"]},
                triage={**answer, "hold_by": hold_by.isoformat()},
                profile="sandwell",
                profile_version=answer["profile_version"],
                discussion_type="standard",
                hold_by=hold_by,
            )
        )
    requests = _insert(StrategyRequest, requests)
    # Raised when the concerns were identified, not on the day the benchmark runs
    # (``auto_now_add``, which bulk_create on SQLite sets whatever the row says): the
    # report counts the requests raised in its period.
    StrategyRequest.objects.filter(local_authority=authority).update(raised_at=F("identified_at"))
    for request in requests:
        request.raised_at = request.identified_at
    _insert(
        RequestChild,
        (
            RequestChild(request=request, child=child, household=f"h{child.pk}")
            for request, child in zip(requests, children, strict=True)
        ),
    )

    discussions: list[Discussion] = []
    clocks: list[Clock] = []
    state: str
    met_at: datetime | None
    for request, (raiser, team) in zip(requests, raisers, strict=True):
        assert request.hold_by is not None  # noqa: S101 - every Sandwell request has one
        chair = members[team][0]
        started: datetime | None = None
        if request.status == RequestStatus.HELD:
            late = rng.random() < 0.12
            started = (
                request.hold_by + timedelta(hours=rng.randint(1, 48))
                if late
                else request.identified_at + (request.hold_by - request.identified_at) / 2
            )
        if request.status in (RequestStatus.HELD, RequestStatus.CONVENED):
            discussions.append(
                Discussion(
                    request=request,
                    local_authority=authority,
                    format=Format.VIRTUAL,
                    scheduled_for=started or request.hold_by,
                    chair=chair,
                    convened_by=raiser,
                    status=DiscussionStatus.HELD if started else DiscussionStatus.SCHEDULED,
                    started_at=started,
                    held_at=started,
                )
            )
        if request.status == RequestStatus.WITHDRAWN:
            state, met_at = ClockState.STOPPED, None
        elif started is not None:
            met_late = started > request.hold_by
            state, met_at = (ClockState.MET_LATE if met_late else ClockState.MET), started
        else:
            state = ClockState.BREACHED if request.hold_by < NOW else ClockState.OPEN
            met_at = None
        clocks.append(
            Clock(
                local_authority=authority,
                request=request,
                code=DISCUSSION_HELD,
                started_at=request.identified_at,
                due_at=request.hold_by,
                source="002_3bebd37290b13db4.txt §9.0",
                rule="sandwell-9-0-three-working-days",
                reason="Initial strategy discussions generally within 3 working days.",
                state=state,
                met_at=met_at,
                responsible=raiser,
            )
        )
    discussions = _insert(Discussion, discussions)
    held = [d for d in discussions if d.held_at is not None]
    reconvened = []
    for first in held:
        assert first.held_at is not None  # noqa: S101 - filtered above
        if rng.random() < 0.08 and first.held_at < NOW - timedelta(days=45):
            again = first.held_at + timedelta(days=rng.randint(7, 27))
            reconvened.append(
                Discussion(
                    request=first.request,
                    local_authority=authority,
                    format=Format.VIRTUAL,
                    scheduled_for=again,
                    chair=first.chair,
                    convened_by=first.convened_by,
                    status=DiscussionStatus.HELD,
                    started_at=again,
                    held_at=again,
                    previous=first,
                )
            )
    reconvened = _insert(Discussion, reconvened)
    held += reconvened

    attendance = (Attendance.ATTENDED,) * 8 + (Attendance.APOLOGIES, Attendance.WRITTEN_REPORT)
    invitations: list[Invitation] = []
    decisions: list[ChildDecision] = []
    actions: list[Action] = []
    child_of = {request.pk: child.pk for request, child in zip(requests, children, strict=True)}
    for discussion in discussions + reconvened:
        officer = rng.choice(officers)
        for code in ("police", "health", "education", "legal"):
            invitations.append(
                Invitation(
                    discussion=discussion,
                    user=officer if code == "police" else None,
                    agency_code=code,
                    required=code != "legal",
                    attendance=rng.choice(attendance) if discussion.held_at else "",
                )
            )
    for discussion in held:
        held_at = discussion.held_at
        assert held_at is not None  # noqa: S101 - held discussions have their time
        outcome = _weighted(rng, OUTCOMES)
        decisions.append(
            ChildDecision(
                discussion=discussion,
                local_authority_id=discussion.local_authority_id,
                child_id=child_of[discussion.request_id],
                outcome=outcome,
                rationale="Agreed.",
            )
        )
        codes = DISCUSSION_CLOCKS + ((ICPC,) if outcome in SECTION_47 else ())
        for code, within, from_identification in codes:
            start = discussion.request.identified_at if from_identification else held_at
            due = CALENDAR.deadline(within, start)
            state, met_at = _closed_state(rng, due) if due < NOW else (ClockState.OPEN, None)
            clocks.append(
                Clock(
                    local_authority=authority,
                    request_id=discussion.request_id,
                    discussion=discussion,
                    code=code,
                    started_at=start,
                    due_at=due,
                    source="002_3bebd37290b13db4.txt §11.0",
                    rule="bench",
                    reason="bench",
                    state=state,
                    met_at=met_at,
                    responsible=discussion.chair,
                )
            )
        for days, police in ((3, False), (10, True)):
            due = held_at + timedelta(days=days)
            done = due < NOW and rng.random() < 0.98
            actions.append(
                Action(
                    discussion=discussion,
                    local_authority_id=discussion.local_authority_id,
                    description="Visit the child" if not police else "Police to interview",
                    owner=rng.choice(officers) if police else discussion.chair,
                    agency_code="police" if police else "childrens_social_care",
                    due_at=due,
                    status=ActionStatus.DONE if done else ActionStatus.OPEN,
                )
            )
    _insert(Invitation, invitations)
    _insert(ChildDecision, decisions)
    _insert(Clock, clocks)
    _insert(Action, actions)

    disagreements = []
    for discussion in rng.sample(held, len(held) // 100):
        held_at = discussion.held_at
        assert held_at is not None  # noqa: S101 - held discussions have their time
        recent = held_at > NOW - timedelta(days=60)
        disagreements.append(
            Disagreement(
                local_authority=authority,
                request_id=discussion.request_id,
                discussion=discussion,
                subject=Subject.OUTCOME,
                description="The police view differs.",
                raised_by=rng.choice(officers),
                raised_by_agency_id=officers[0].agency_id,
                raised_at=held_at + timedelta(days=1),
                stage_code="sandwell-12-0-senior-managers",
                stage_title="Senior managers",
                stage_source="002_3bebd37290b13db4.txt §12.0",
                holder_name="Senior managers",
                held_since=held_at + timedelta(days=1),
                status=DisagreementStatus.OPEN if recent else DisagreementStatus.RESOLVED,
            )
        )
    _insert(Disagreement, disagreements)
    return LargeAuthority(
        authority=authority,
        teams=teams,
        head_of_service=head,
        requests=len(requests),
        discussions=len(held),
        clocks=len(clocks),
        actions=len(actions),
    )


def build_national(count: int, *, first: int = 0) -> list[LargeAuthority]:
    """``count`` more large authorities (numbered from ``first``), each with its social
    care and police agencies and its own five years, told apart by seed and usernames."""
    built = []
    for number in range(first, first + count):
        authority = LocalAuthority.objects.create(
            name=f"Benchmark Council {number + 1}",
            slug=f"bench-{number + 1}",
            profile="sandwell",
            email_domains="example.org",
        )
        for kind in ("childrens_social_care", "police"):
            Agency.objects.create(local_authority=authority, kind=kind, name=f"{kind} {number}")
        built.append(build_large_authority(authority, seed=47 + number, prefix=f"n{number}"))
    return built
