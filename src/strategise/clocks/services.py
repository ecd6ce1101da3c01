"""Starting, meeting, stopping and breaching statutory clocks; reminding and alerting.

The policy engine computes every due time. A clock is open until its event happens (met
on time, or met late), a manager stops it with a reason, or its due time passes (breached,
which it stays until it is met late or stopped).

Reminders go to the person responsible at the start (09:00) of the last working day before
a clock falls due: the procedures count in working days, the shortest being one working
day (002_3bebd37290b13db4.txt §11.0) and "before the start of the next working day"
(001_2d544eb75ad81283.txt §6.1), so a working day's notice is the most every clock can
give. A clock shorter than that is reminded as soon as it starts. A breach alerts the
person responsible and their line managers (``organisations.selectors.line_managers``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet

from strategise.access import may_mark_met, may_stop_clock
from strategise.audit.services import audit_record
from strategise.clocks.models import CLOCK_LABELS, DISCUSSION_HELD, LIVE_STATES, Clock, ClockState
from strategise.discussions.models import SECTION_47_OUTCOMES, AlsoDecided, Discussion
from strategise.integrations.models import Event
from strategise.integrations.services import webhook_emit
from strategise.links import Target, TargetKind
from strategise.notifications.models import Kind
from strategise.notifications.services import notify
from strategise.organisations.models import User
from strategise.organisations.selectors import line_managers, team_manager_of
from strategise.policy import clocks as policy_clocks
from strategise.policy import get_profile
from strategise.policy.citations import cite
from strategise.policy.wording import format_when
from strategise.problems import Problem
from strategise.requests.models import RequestChild, StrategyRequest

# Clocks whose event happens outside Strategise, so a person records it. The others are
# met by the service that does the thing (minutes sent, discussion held or reconvened).
RECORDED_BY_HAND = frozenset(
    {
        "child_seen",
        "icpc_requested",
        "icpc_held",
        "assessment_completed",
        "process_concluded",
        "out_of_hours_record_sent",
    }
)
# The discussion's own outputs stay with its chair unless the procedure names someone:
# circulating its decisions and minutes, the out-of-hours record, the next discussion.
CHAIR_HOLDS = frozenset(
    {
        "decisions_circulated",
        "minutes_distributed",
        "next_discussion_by",
        "out_of_hours_record_sent",
    }
)
# Each child has their own initial child protection conference: a clock per child whose
# section 47 enquiry recommends one.
PER_CHILD = frozenset({"icpc_held", "icpc_requested"})
# A clock a little fast on the user's computer must not make "now" look like the future.
FUTURE_TOLERANCE = timedelta(minutes=5)
BATCH = 200


def remind_at(*, profile: str, started_at: datetime, due_at: datetime) -> datetime | None:
    """When to remind: the start of the last working day before ``due_at``, or as the clock
    starts if that is later; ``None`` if the clock started at or after its due time."""
    calendar = get_profile(profile).calendar
    at = max(started_at, calendar.last_working_day_start_before(due_at))
    return at if at < due_at else None


def _children(request_id: int) -> list[int]:
    return list(
        RequestChild.objects.filter(request_id=request_id).values_list("child_id", flat=True)
    )


def _target(clock: Clock) -> Target:
    """Where a reminder or alert sends its reader: the discussion's clocks (where the clock
    is recorded met or stopped), or the request for its hold-by clock."""
    if clock.discussion_id is not None:
        return Target(TargetKind.DISCUSSION_CLOCKS, clock.discussion_id)
    return Target(TargetKind.REQUEST, clock.request_id)


def _what(clock: Clock) -> str:
    where = (
        f"strategy discussion {clock.discussion_id}"
        if clock.discussion_id is not None
        else f"request {clock.request_id}"
    )
    return f"{CLOCK_LABELS.get(clock.code, clock.code)} for {where}"


# --- starting ---------------------------------------------------------------------


def clock_request_start(*, request: StrategyRequest) -> Clock | None:
    """The request's own clock: its discussion must be held by the triage's hold-by time.

    Runs inside the transaction that raises the request; a procedure with no timescale
    (the national baseline) starts no clock.
    """
    if request.hold_by is None:
        return None
    timescale = request.triage["timescales"][0]
    return Clock.objects.create(
        local_authority_id=request.local_authority_id,
        request=request,
        code=DISCUSSION_HELD,
        started_at=request.identified_at,
        due_at=request.hold_by,
        source=timescale["source"],
        rule=timescale["id"],
        reason=timescale["rule"],
        responsible=request.raised_by,
        responsible_reason="Who raised the request",
        remind_at=remind_at(
            profile=request.profile, started_at=request.identified_at, due_at=request.hold_by
        ),
    )


def clock_holder(*, discussion: Discussion, code: str) -> tuple[User, str]:
    """Who is responsible for a discussion's clock, and why.

    The procedure's own word where it names someone (``Profile.clock_holder``); else the
    chair for the discussion's own outputs (``CHAIR_HOLDS``), and for the rest the team
    manager of the allocated social worker, or of the chair if no allocated worker is
    recorded; the chair if that team has no manager.
    """
    said = get_profile(discussion.request.profile).clock_holder(code)
    holder = said.holder if said else ("chair" if code in CHAIR_HOLDS else "team_manager")
    chair = discussion.chair
    worker = discussion.request.allocated_worker
    if holder == "chair":
        who, why = chair, "The chair of the discussion"
    elif holder == "allocated_worker" and worker is not None:
        who, why = worker, "The allocated social worker"
    else:
        of = worker or chair
        manager = team_manager_of(of)
        whose = "the allocated social worker" if worker is not None else "the chair"
        if manager is None:
            who, why = chair, f"The chair (no team manager is recorded for {whose})"
        else:
            who, why = manager, f"The team manager of {whose}"
    if said is not None:
        why = f"{said.title} ({cite(said.source)}): {why[:1].lower()}{why[1:]}"
    return who, why[:300]


def _icpc_children(discussion: Discussion) -> list[int]:
    """The children whose section 47 enquiry recommends an initial conference."""
    return [
        decision.child_id
        for decision in discussion.decisions.filter(outcome__in=SECTION_47_OUTCOMES).order_by("pk")
        if AlsoDecided.RECOMMEND_ICPC.value in decision.also
    ]


def _held_at(discussion: Discussion) -> datetime:
    if discussion.held_at is None:
        raise ValueError("a discussion's clocks start when it is held")
    return discussion.held_at


def _planned(*, discussion: Discussion, section_47: bool) -> list[Clock]:
    """The clocks the procedure starts when the discussion is held (not saved yet), each
    held by whoever ``clock_holder`` says; an ICPC clock for each child it is recommended
    for."""
    held_at = _held_at(discussion)
    request = discussion.request
    answer = policy_clocks(
        profile=request.profile,
        identified_at=request.identified_at,
        held_at=held_at,
        section_47=section_47,
        discussion_type=request.discussion_type,
    )
    icpc_children = _icpc_children(discussion)
    clocks: list[Clock] = []
    for due in answer.clocks:
        responsible, why = clock_holder(discussion=discussion, code=due.code)
        for child_id in icpc_children if due.code in PER_CHILD else [None]:
            clocks.append(
                Clock(
                    local_authority_id=discussion.local_authority_id,
                    request=request,
                    discussion=discussion,
                    child_id=child_id,
                    code=due.code,
                    started_at=request.identified_at if due.starts == "identified" else held_at,
                    due_at=due.due,
                    source=due.source,
                    rule=due.rule,
                    reason=due.reason,
                    responsible=responsible,
                    responsible_reason=why,
                )
            )
    agreed = getattr(getattr(discussion, "record", None), "further_discussion_by", None)
    if agreed is not None:
        clocks = _with_agreed_next_discussion(clocks, discussion, held_at, agreed)
    for clock in clocks:
        clock.remind_at = remind_at(
            profile=request.profile, started_at=clock.started_at, due_at=clock.due_at
        )
    return clocks


def clocks_start(*, discussion: Discussion, section_47: bool) -> list[Clock]:
    """Create the clocks the procedure starts when a discussion is held (inside a transaction),
    each held by whoever ``clock_holder`` says; an ICPC clock for each child it is
    recommended for.

    Holding it meets the clock of the discussion it reconvenes. A date agreed for the next
    discussion becomes (or brings forward) its ``next_discussion_by`` clock.
    """
    clocks = _planned(discussion=discussion, section_47=section_47)
    for clock in clocks:
        clock.save(force_insert=True)
    if discussion.previous_id is not None:
        responsible, _ = clock_holder(discussion=discussion, code="next_discussion_by")
        _meet(
            Clock.objects.filter(discussion_id=discussion.previous_id, code="next_discussion_by"),
            at=_held_at(discussion),
            user=responsible,
        )
    return clocks


# What a correction writes as the reason it stopped a clock; a later correction that needs
# the clock again opens it again.
CORRECTED = "Corrected: "


def clocks_correct(
    *,
    discussion: Discussion,
    section_47: bool,
    reason: str,
    user: User,
    now: datetime,
) -> tuple[list[Clock], list[Clock]]:
    """After a correction of the record (inside its transaction): start the clocks the
    corrected decisions start and stop, with the correction's reason, those they no longer
    do (a section 47 enquiry corrected to no further action stops the conference's clock;
    the other way round starts it). A clock is its code and, for a conference, its child.
    Returns the clocks started and those stopped."""
    planned = {
        (clock.code, clock.child_id): clock
        for clock in _planned(discussion=discussion, section_47=section_47)
    }
    existing = {
        (clock.code, clock.child_id): clock
        for clock in Clock.objects.select_for_update().filter(discussion=discussion)
    }
    started: list[Clock] = []
    stopped: list[Clock] = []
    for code, clock in planned.items():
        had = existing.get(code)
        if had is None:
            clock.save(force_insert=True)
            started.append(clock)
        elif had.state == ClockState.STOPPED and had.stopped_reason.startswith(CORRECTED):
            had.state, had.stopped_at, had.stopped_reason = ClockState.OPEN, None, ""
            had.remind_at = clock.remind_at if clock.remind_at and clock.remind_at > now else None
            had.save(update_fields=["state", "stopped_at", "stopped_reason", "remind_at"])
            started.append(had)
    for code, clock in existing.items():
        if code not in planned and clock.live:
            clock.state = ClockState.STOPPED
            clock.stopped_at = now
            clock.stopped_reason = f"{CORRECTED}{reason}"
            clock.remind_at = None
            clock.save(update_fields=["state", "stopped_at", "stopped_reason", "remind_at"])
            stopped.append(clock)
    for clock, action in [(c, "clock-started") for c in started] + [
        (c, "clock-stopped") for c in stopped
    ]:
        audit_record(
            user=user,
            action=action,
            obj=clock,
            children=_children(clock.request_id),
            detail={"code": clock.code, "reason": reason},
        )
    return started, stopped


def _with_agreed_next_discussion(
    clocks: list[Clock], discussion: Discussion, held_at: datetime, agreed: datetime
) -> list[Clock]:
    """The discussion agreed when the next must be held; the earlier of that and the
    procedure's interval applies."""
    existing = next((c for c in clocks if c.code == "next_discussion_by"), None)
    if existing is not None and existing.due_at <= agreed:
        return clocks
    agreed_clock = Clock(
        local_authority_id=discussion.local_authority_id,
        request=discussion.request,
        discussion=discussion,
        code="next_discussion_by",
        started_at=held_at,
        due_at=agreed,
        source="Agreed at the strategy discussion",
        rule="agreed-at-discussion",
        reason="The discussion agreed when the next strategy discussion must be held by.",
    )
    agreed_clock.responsible, agreed_clock.responsible_reason = clock_holder(
        discussion=discussion, code="next_discussion_by"
    )
    return [c for c in clocks if c is not existing] + [agreed_clock]


# --- meeting and stopping ---------------------------------------------------------


def _meet(clocks: QuerySet[Clock], *, at: datetime, user: User | None) -> Clock | None:
    """Meet the first live clock of ``clocks`` (locked), on time or late, and audit it."""
    with transaction.atomic():
        clock = clocks.select_for_update().filter(state__in=LIVE_STATES).first()
        if clock is None:
            return None
        clock.state = ClockState.MET if at <= clock.due_at else ClockState.MET_LATE
        clock.met_at = at
        clock.remind_at = None
        clock.save(update_fields=["state", "met_at", "remind_at"])
        audit_record(
            user=user,
            action="clock-met",
            obj=clock,
            children=_children(clock.request_id),
            detail={"code": clock.code, "state": clock.state},
        )
    return clock


def clock_meet(*, discussion: Discussion, code: str, at: datetime, user: User) -> Clock | None:
    """Mark a discussion's clock met (on time or late); one already met or stopped is left."""
    return _meet(Clock.objects.filter(discussion=discussion, code=code), at=at, user=user)


def clock_meet_discussion_held(
    *, request: StrategyRequest, at: datetime, user: User
) -> Clock | None:
    """The request's discussion is being held: its hold-by clock is met (on time or late)."""
    return _meet(
        Clock.objects.filter(request=request, discussion__isnull=True, code=DISCUSSION_HELD),
        at=at,
        user=user,
    )


def clock_mark_met(*, user: User, clock: Clock, at: datetime, now: datetime) -> Clock:
    """Record that a clock's event happened outside Strategise: the child was seen, the
    conference was requested or held, the assessment completed."""
    label = CLOCK_LABELS.get(clock.code, clock.code)
    if not may_mark_met(user, clock):
        raise Problem("Only the person responsible or this authority's social care can do this")
    if clock.code not in RECORDED_BY_HAND:
        raise Problem(f"'{label}' is recorded by Strategise itself when it happens")
    if not clock.live:
        raise Problem(f"'{label}' is already {clock.get_state_display().lower()}")
    if at > now + FUTURE_TOLERANCE:
        raise Problem("The date it happened must be today or in the past", "at")
    if at < clock.started_at:
        raise Problem(
            "The date it happened must be after the clock started "
            f"({format_when(clock.started_at)})",
            "at",
        )
    with transaction.atomic(durable=True):
        met = _meet(Clock.objects.filter(pk=clock.pk), at=at, user=user)
    if met is None:
        raise Problem(f"'{label}' was closed by someone else: reload the page")
    return met


def clock_stop(*, user: User, clock: Clock, reason: str, now: datetime) -> Clock:
    """A manager stops a clock that no longer applies (say, the child moved away), with why."""
    label = CLOCK_LABELS.get(clock.code, clock.code)
    if not may_stop_clock(user, clock):
        raise Problem(
            "Only a team manager or above in this authority's social care can stop a clock"
        )
    if not reason.strip():
        raise Problem(f"Give the reason '{label}' no longer applies", "reason")
    with transaction.atomic(durable=True):
        locked = Clock.objects.select_for_update().get(pk=clock.pk)
        if not locked.live:
            raise Problem(f"'{label}' is already {locked.get_state_display().lower()}")
        locked.state = ClockState.STOPPED
        locked.stopped_at = now
        locked.stopped_reason = reason.strip()
        locked.remind_at = None
        locked.save(update_fields=["state", "stopped_at", "stopped_reason", "remind_at"])
        audit_record(
            user=user,
            action="clock-stopped",
            obj=locked,
            children=_children(locked.request_id),
            detail={"code": locked.code, "reason": locked.stopped_reason},
        )
    return locked


def clock_stop_request(*, request: StrategyRequest, reason: str, user: User, now: datetime) -> None:
    """The request is closed or withdrawn: its hold-by clock, if still live, stops with the
    reason (inside the transaction that ends the request)."""
    with transaction.atomic():
        for clock in Clock.objects.select_for_update().filter(
            request=request, discussion__isnull=True, state__in=LIVE_STATES
        ):
            clock.state = ClockState.STOPPED
            clock.stopped_at = now
            clock.stopped_reason = reason
            clock.remind_at = None
            clock.save(update_fields=["state", "stopped_at", "stopped_reason", "remind_at"])
            audit_record(
                user=user,
                action="clock-stopped",
                obj=clock,
                children=_children(request.pk),
                detail={"code": clock.code, "reason": reason},
            )


# --- the background tick ---------------------------------------------------------


def _locked_batch(order: str, **filters: object) -> list[Clock]:
    # In the order of the partial index the filter uses (clock_live, clock_remind): with
    # ORDER BY pk, PostgreSQL walks the primary key through every clock ever made instead.
    return list(
        Clock.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(**filters)
        .select_related("responsible__team")
        .order_by(order, "pk")[:BATCH]
    )


def clocks_mark_breached(*, now: datetime) -> list[Clock]:
    """Mark every open clock past its due time breached, and alert the person responsible
    and their line managers, in the same transaction: a rerun finds nothing to do.

    Most rounds find nothing: one small unlocked read says so, without taking the write
    lock (on SQLite, the whole database's) for an empty batch."""
    breached: list[Clock] = []
    if not Clock.objects.filter(state=ClockState.OPEN, due_at__lt=now).exists():
        return breached
    while True:
        with transaction.atomic(durable=True):
            batch = _locked_batch("due_at", state=ClockState.OPEN, due_at__lt=now)
            for clock in batch:
                clock.state = ClockState.BREACHED
                clock.breached_at = now
                clock.remind_at = None
                clock.save(update_fields=["state", "breached_at", "remind_at"])
                audit_record(
                    user=None,
                    action="clock-breached",
                    obj=clock,
                    children=_children(clock.request_id),
                    detail={"code": clock.code, "due_at": clock.due_at.isoformat()},
                )
                _alert(clock, now)
                webhook_emit(event=Event.CLOCK_BREACHED, subject=clock, now=now)
        breached.extend(batch)
        if len(batch) < BATCH:
            return breached


def _alert(clock: Clock, now: datetime) -> None:
    responsible = clock.responsible
    if responsible is None:
        return
    what = _what(clock)
    due = format_when(clock.due_at)
    notify(
        user=responsible,
        kind=Kind.OVERDUE,
        text=f"{what} is overdue: it was due by {due} ({cite(clock.source)}).",
        target=_target(clock),
        dedupe_key=f"clock:{clock.pk}:breached:{responsible.pk}",
        now=now,
    )
    for manager in line_managers(responsible):
        notify(
            user=manager,
            kind=Kind.OVERDUE,
            text=(
                f"{what} is overdue: it was due by {due} ({cite(clock.source)}). "
                f"{responsible} is responsible for it."
            ),
            target=_target(clock),
            dedupe_key=f"clock:{clock.pk}:breached:{manager.pk}",
            now=now,
        )


def clocks_remind(*, now: datetime) -> list[Clock]:
    """Remind the person responsible for each open clock whose reminder time has come.

    A clock met, stopped or breached has no reminder time left, so it is never reminded.
    Like the breaching round, an unlocked read first says whether there is anything to do.
    """
    reminded: list[Clock] = []
    if not Clock.objects.filter(remind_at__lte=now).exists():
        return reminded
    while True:
        with transaction.atomic(durable=True):
            batch = _locked_batch("remind_at", remind_at__lte=now)
            for clock in batch:
                if clock.state == ClockState.OPEN and clock.due_at > now and clock.responsible:
                    notify(
                        user=clock.responsible,
                        kind=Kind.REMINDER,
                        text=(
                            f"{_what(clock)} is due by {format_when(clock.due_at)} "
                            f"({cite(clock.source)})."
                        ),
                        target=_target(clock),
                        dedupe_key=f"clock:{clock.pk}:reminder",
                        now=now,
                    )
                    reminded.append(clock)
                clock.remind_at = None
                clock.save(update_fields=["remind_at"])
                audit_record(
                    user=None,
                    action="clock-reminded",
                    obj=clock,
                    children=_children(clock.request_id),
                    detail={"code": clock.code, "state": clock.state},
                )
        if len(batch) < BATCH:
            return reminded
