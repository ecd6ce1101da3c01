"""Performance figures and the rows of the statutory returns, for one authority and period.

Each figure is one function returning a small frozen dataclass, counted by aggregate
queries in the database (grouped and filtered there, never a Python loop over every
request). Each figure also gives itself as a ``Table``: the page shows it beneath the
chart and the CSV download is the same table.

``report_for``, ``figure_for`` and ``enquiries_for`` are the entry points for a signed-in
user: they check who may see them, scope everything to the user's own authority and
audit the read in the same transaction.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import ClassVar, Protocol

from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.http import Http404

from strategise.actions.models import Action, ActionStatus
from strategise.audit.services import audit_record
from strategise.clocks.models import Clock, ClockState
from strategise.discussions.models import (
    SECTION_47_OUTCOMES,
    AlsoDecided,
    Attendance,
    ChildDecision,
    Discussion,
    DiscussionStatus,
    Invitation,
    Outcome,
)
from strategise.organisations.access import may_download_returns, may_see_reports
from strategise.organisations.models import LocalAuthority, User
from strategise.policy import LONDON, get_profile, to_london, vocabulary
from strategise.requests.models import RequestStatus, StrategyRequest

MET = (ClockState.MET, ClockState.MET_LATE)
# Sandwell §2.0 (002_3bebd37290b13db4.txt): a further discussion within 28 days.
RECONVENE_WITHIN_DAYS = 28
ICPC_WORKING_DAYS = 15


# --- the period ---------------------------------------------------------------------


def _in_words(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _year_before(day: date) -> date:
    """The same date a year earlier (28 February for 29 February)."""
    return day.replace(year=day.year - 1, day=min(day.day, 28) if day.month == 2 else day.day)


@dataclass(frozen=True)
class Period:
    """From ``first`` to ``last``, both included, as dates in London."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError("a period cannot end before it starts")

    @property
    def starts_at(self) -> datetime:
        """Midnight at the start of ``first``, London time."""
        return datetime.combine(self.first, time(0), tzinfo=LONDON)

    @property
    def ends_before(self) -> datetime:
        """Midnight at the end of ``last``, London time (not itself in the period)."""
        return datetime.combine(self.last + timedelta(days=1), time(0), tzinfo=LONDON)

    def describe(self) -> str:
        return f"{_in_words(self.first)} to {_in_words(self.last)}"

    def slug(self) -> str:
        """The period in a file name: ``2025-04-01-to-2026-03-31``."""
        return f"{self.first.isoformat()}-to-{self.last.isoformat()}"

    @classmethod
    def year_to_date(cls, today: date) -> Period:
        """The reporting year (from 1 April) so far."""
        year = today.year if today >= date(today.year, 4, 1) else today.year - 1
        return cls(date(year, 4, 1), today)

    @classmethod
    def last_census_year(cls, today: date) -> Period:
        """The last whole census year, 1 April to 31 March, before ``today``."""
        year = today.year if today > date(today.year, 3, 31) else today.year - 1
        return cls(date(year - 1, 4, 1), date(year, 3, 31))


# --- tables and counts ----------------------------------------------------------------

Cell = str | int


def percent(part: int, whole: int) -> str:
    """``"83.3%"``, or ``"No data"`` when there is nothing to divide by."""
    return f"{100 * part / whole:.1f}%" if whole else "No data"


@dataclass(frozen=True)
class Table:
    """A figure as rows: the first column names the row, the others are numbers."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: tuple[Cell, ...] | None = None

    def all_rows(self) -> tuple[tuple[Cell, ...], ...]:
        return self.rows + ((self.total,) if self.total else ())


class Figure(Protocol):
    title: ClassVar[str]

    def table(self) -> Table: ...


@dataclass(frozen=True)
class Timeliness:
    """Things due in a period: done on time, done late, overdue, or not due yet."""

    on_time: int = 0
    late: int = 0
    overdue: int = 0
    not_yet_due: int = 0

    @property
    def due(self) -> int:
        """Those whose time has come: done (on time or late) or overdue."""
        return self.on_time + self.late + self.overdue

    @property
    def rate(self) -> float | None:
        return self.on_time / self.due if self.due else None

    def cells(self) -> tuple[Cell, ...]:
        return (
            self.on_time,
            self.late,
            self.overdue,
            self.not_yet_due,
            percent(self.on_time, self.due),
        )

    def __add__(self, other: Timeliness) -> Timeliness:
        return Timeliness(
            self.on_time + other.on_time,
            self.late + other.late,
            self.overdue + other.overdue,
            self.not_yet_due + other.not_yet_due,
        )


TIMELINESS_HEADERS = ("On time", "Late", "Overdue", "Not due yet", "On time (of those due)")


# --- 1. strategy discussions held within their timescale, by rule ----------------------

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_WORDS |= {"eight": 8, "nine": 9}


def _rule_order(within: str) -> tuple[int, int]:
    """Shortest timescale first: same day, hours, next working day, working days, days..."""
    if within == "the same day":
        return (0, 0)
    if within == "the start of the next working day":
        return (2, 0)
    number, _, unit = within.partition(" ")
    count = _WORDS.get(number) or (int(number) if number.isdigit() else 0)
    rank = {"hour": 1, "working": 3, "day": 4, "month": 5}.get(unit.split(" ")[0].rstrip("s"), 9)
    return (rank, count)


@dataclass(frozen=True)
class RuleTimeliness:
    rule: str
    counts: Timeliness


@dataclass(frozen=True)
class DiscussionTimeliness:
    """Requests due in the period, by the timescale that set their hold-by time."""

    title: ClassVar[str] = "Strategy discussions held within their timescale"
    rules: tuple[RuleTimeliness, ...]

    @property
    def total(self) -> Timeliness:
        return sum((row.counts for row in self.rules), Timeliness())

    def table(self) -> Table:
        return Table(
            caption=self.title,
            headers=("Timescale", *TIMELINESS_HEADERS),
            rows=tuple((row.rule.capitalize(), *row.counts.cells()) for row in self.rules),
            total=("All timescales", *self.total.cells()),
        )


def discussion_timeliness(
    *, authority: LocalAuthority, period: Period, now: datetime
) -> DiscussionTimeliness:
    """Requests whose hold-by time falls in the period (withdrawn ones aside): was the first
    discussion (not a reconvened one) started by then, after it, or not yet?

    The rule is the triage's first timescale: the earliest, the one that set ``hold_by``.
    One grouped query: the earliest start's "on time?" comes from one subquery per request
    (true, false, or null if none has started), grouped with the rule and "past due?".
    """
    first_on_time = (
        Discussion.objects.filter(
            request=OuterRef("pk"), previous__isnull=True, started_at__isnull=False
        )
        .order_by("started_at")
        .annotate(
            on_time=Case(
                When(started_at__lte=OuterRef("hold_by"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .values("on_time")[:1]
    )
    rows = (
        StrategyRequest.objects.filter(
            local_authority=authority,
            hold_by__gte=period.starts_at,
            hold_by__lt=period.ends_before,
        )
        .exclude(status=RequestStatus.WITHDRAWN)
        .annotate(
            rule=KT("triage__timescales__0__within"),
            on_time=Subquery(first_on_time, output_field=BooleanField()),
            past_due=Case(
                When(hold_by__lt=now, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .values("rule", "on_time", "past_due")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts: dict[str, Counter[str]] = {}
    for row in rows:
        if row["on_time"] is None:
            outcome = "overdue" if row["past_due"] else "not_yet_due"
        else:
            outcome = "on_time" if row["on_time"] else "late"
        rule = row["rule"] or "No timescale recorded"
        counts.setdefault(rule, Counter())[outcome] += row["count"]
    rules = sorted(
        (RuleTimeliness(rule=rule, counts=Timeliness(**found)) for rule, found in counts.items()),
        key=lambda row: _rule_order(row.rule),
    )
    return DiscussionTimeliness(rules=tuple(rules))


# --- the discussions held in a period ---------------------------------------------------


def _held_decisions(authority: LocalAuthority, period: Period) -> QuerySet[ChildDecision]:
    return ChildDecision.objects.filter(
        discussion__local_authority=authority,
        discussion__status=DiscussionStatus.HELD,
        discussion__held_at__gte=period.starts_at,
        discussion__held_at__lt=period.ends_before,
    )


# --- 2. attendance of each agency ------------------------------------------------------


@dataclass(frozen=True)
class AgencyRow:
    agency: str
    required: int
    attended: int
    written_report: int

    @property
    def label(self) -> str:
        return vocabulary.ATTENDEES.get(self.agency, self.agency)

    @property
    def rate(self) -> float | None:
        return self.attended / self.required if self.required else None

    def cells(self) -> tuple[Cell, ...]:
        return (
            self.required,
            self.attended,
            self.written_report,
            self.required - self.attended - self.written_report,
            percent(self.attended, self.required),
        )


@dataclass(frozen=True)
class AgencyAttendance:
    """Required invitations to discussions held in the period, and how many attended."""

    title: ClassVar[str] = "Attendance of required agencies"
    agencies: tuple[AgencyRow, ...]

    @property
    def overall(self) -> AgencyRow:
        return AgencyRow(
            agency="all",
            required=sum(row.required for row in self.agencies),
            attended=sum(row.attended for row in self.agencies),
            written_report=sum(row.written_report for row in self.agencies),
        )

    def table(self) -> Table:
        return Table(
            caption=self.title,
            headers=(
                "Agency",
                "Required invitations",
                "Attended",
                "Sent a written report instead",
                "Did not attend or send a report",
                "Attendance rate",
            ),
            rows=tuple((row.label, *row.cells()) for row in self.agencies),
            total=("All required agencies", *self.overall.cells()),
        )


def agency_attendance(
    *, authority: LocalAuthority, period: Period, now: datetime
) -> AgencyAttendance:
    """For each agency: required invitations to discussions held in the period, and how many
    of them attended (attended ÷ required). A written report is counted, not attended."""
    rows = (
        Invitation.objects.filter(
            required=True,
            discussion__local_authority=authority,
            discussion__status=DiscussionStatus.HELD,
            discussion__held_at__gte=period.starts_at,
            discussion__held_at__lt=period.ends_before,
        )
        .values("agency_code")
        .annotate(
            required_count=Count("pk"),
            attended=Count("pk", filter=Q(attendance=Attendance.ATTENDED)),
            written_report=Count("pk", filter=Q(attendance=Attendance.WRITTEN_REPORT)),
        )
        .order_by()
    )
    agencies = [
        AgencyRow(
            agency=row["agency_code"],
            required=row["required_count"],
            attended=row["attended"],
            written_report=row["written_report"],
        )
        for row in rows
    ]
    agencies.sort(key=lambda row: (-row.required, row.label))
    return AgencyAttendance(agencies=tuple(agencies))


# --- 3. outcomes ---------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionOutcomes:
    """The decision for each child in discussions held in the period, by outcome."""

    title: ClassVar[str] = "Decisions for each child, by outcome"
    counts: tuple[tuple[str, int], ...]

    @property
    def total(self) -> int:
        return sum(count for _, count in self.counts)

    def label(self, outcome: str) -> str:
        return str(Outcome(outcome).label)

    def table(self) -> Table:
        return Table(
            caption=self.title,
            headers=("Outcome", "Children", "Share of children"),
            rows=tuple(
                (self.label(outcome), count, percent(count, self.total))
                for outcome, count in self.counts
            ),
            total=("All decisions", self.total, percent(self.total, self.total)),
        )


def decision_outcomes(
    *, authority: LocalAuthority, period: Period, now: datetime
) -> DecisionOutcomes:
    """How many children's decisions had each outcome (every outcome listed, even if none)."""
    found = dict(
        _held_decisions(authority, period)
        .values("outcome")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("outcome", "count")
    )
    return DecisionOutcomes(counts=tuple((value, found.get(value, 0)) for value in Outcome.values))


# --- 4. leading to section 47 and to an ICPC -------------------------------------------


@dataclass(frozen=True)
class Section47Conversion:
    """Of the children discussed, how many went on to a section 47 enquiry and an ICPC."""

    title: ClassVar[str] = "Section 47 enquiries and initial child protection conferences"
    children: int
    section_47: int
    icpc_recommended: int
    icpc_held: int

    def counts(self) -> tuple[tuple[str, int], ...]:
        return (
            ("Section 47 enquiry", self.section_47),
            ("Initial child protection conference recommended", self.icpc_recommended),
            ("Initial child protection conference held", self.icpc_held),
        )

    def table(self) -> Table:
        return Table(
            caption=self.title,
            headers=("Children discussed", "Children", "Share of children discussed"),
            rows=tuple(
                (label, count, percent(count, self.children)) for label, count in self.counts()
            ),
            total=("All children discussed", self.children, percent(self.children, self.children)),
        )


def section_47_conversion(
    *, authority: LocalAuthority, period: Period, now: datetime
) -> Section47Conversion:
    """Children's decisions in discussions held in the period: a section 47 outcome; "recommend
    an ICPC" among the further decisions; and, for the section 47 ones, an ``icpc_held`` clock
    that was met (on time or late)."""
    icpc_held = Clock.objects.filter(
        discussion=OuterRef("discussion"), code="icpc_held", state__in=MET
    )
    section_47 = Q(outcome__in=SECTION_47_OUTCOMES)
    figures = (
        _held_decisions(authority, period)
        .annotate(icpc_met=Exists(icpc_held))
        .aggregate(
            children=Count("pk"),
            section_47=Count("pk", filter=section_47),
            # The JSON list holds codes; the quotes keep to whole codes.
            icpc_recommended=Count(
                "pk", filter=Q(also__icontains=f'"{AlsoDecided.RECOMMEND_ICPC.value}"')
            ),
            icpc_held=Count("pk", filter=section_47 & Q(icpc_met=True)),
        )
    )
    return Section47Conversion(**figures)


# --- 5 and 6. clocks: ICPC within 15 working days, minutes distributed on time --------


@dataclass(frozen=True)
class ClockTimeliness:
    code: str
    counts: Timeliness
    stopped: int

    @property
    def label(self) -> str:
        return vocabulary.CLOCKS.get(self.code, self.code)


def _clock_timeliness(
    authority: LocalAuthority, period: Period, now: datetime, codes: tuple[str, ...]
) -> tuple[ClockTimeliness, ...]:
    """Clocks with these codes due in the period: met on time, met late, still waiting and
    overdue, still waiting and not yet due, and stopped (no longer needed), in one grouped
    query. "Still waiting" is any state but met or stopped (open, or marked overdue)."""
    waiting = ~Q(state__in=(*MET, ClockState.STOPPED))
    rows = {
        row["code"]: row
        for row in Clock.objects.filter(
            local_authority=authority,
            code__in=codes,
            due_at__gte=period.starts_at,
            due_at__lt=period.ends_before,
        )
        .values("code")
        .annotate(
            on_time=Count("pk", filter=Q(state=ClockState.MET)),
            late=Count("pk", filter=Q(state=ClockState.MET_LATE)),
            overdue=Count("pk", filter=waiting & Q(due_at__lt=now)),
            not_yet_due=Count("pk", filter=waiting & Q(due_at__gte=now)),
            stopped=Count("pk", filter=Q(state=ClockState.STOPPED)),
        )
        .order_by()
    }
    return tuple(
        ClockTimeliness(
            code=code,
            counts=Timeliness(row["on_time"], row["late"], row["overdue"], row["not_yet_due"])
            if (row := rows.get(code))
            else Timeliness(),
            stopped=row["stopped"] if row else 0,
        )
        for code in codes
    )


def _clock_table(title: str, clocks: tuple[ClockTimeliness, ...]) -> Table:
    return Table(
        caption=title,
        headers=("Clock", *TIMELINESS_HEADERS, "Stopped (no longer needed)"),
        rows=tuple((clock.label, *clock.counts.cells(), clock.stopped) for clock in clocks),
    )


@dataclass(frozen=True)
class IcpcTimeliness:
    title: ClassVar[str] = "Initial child protection conferences within 15 working days"
    clock: ClockTimeliness

    def table(self) -> Table:
        return _clock_table(self.title, (self.clock,))


def icpc_timeliness(*, authority: LocalAuthority, period: Period, now: datetime) -> IcpcTimeliness:
    """``icpc_held`` clocks due in the period: met on time ÷ those due (met or overdue)."""
    (clock,) = _clock_timeliness(authority, period, now, ("icpc_held",))
    return IcpcTimeliness(clock=clock)


@dataclass(frozen=True)
class MinutesTimeliness:
    title: ClassVar[str] = "Decisions and minutes sent on time"
    clocks: tuple[ClockTimeliness, ...]

    def table(self) -> Table:
        return _clock_table(self.title, self.clocks)


def minutes_timeliness(
    *, authority: LocalAuthority, period: Period, now: datetime
) -> MinutesTimeliness:
    """``decisions_circulated`` and ``minutes_distributed`` clocks due in the period."""
    return MinutesTimeliness(
        clocks=_clock_timeliness(
            authority, period, now, ("decisions_circulated", "minutes_distributed")
        )
    )


# --- 7. actions ------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionCompletion:
    """Actions due in the period: done by their due time, done after it, open and overdue,
    open and not due yet; and those cancelled, which are left out of the rate."""

    title: ClassVar[str] = "Actions completed"
    counts: Timeliness
    cancelled: int

    def table(self) -> Table:
        return Table(
            caption=self.title,
            headers=(
                "Actions due",
                "Done on time",
                "Done late",
                "Open and overdue",
                "Open, not due yet",
                "Cancelled",
                "Done on time (of those due)",
            ),
            rows=(
                (
                    "Actions agreed at strategy discussions",
                    *self.counts.cells()[:4],
                    self.cancelled,
                    self.counts.cells()[4],
                ),
            ),
        )


def action_completion(
    *, authority: LocalAuthority, period: Period, now: datetime
) -> ActionCompletion:
    """Actions of the authority's discussions with their due time in the period.

    Done on time means marked done at or before its due time (``completed_at``). A done
    action with no completion time (marked done before Strategise recorded it, and with
    no audit event to recover it from) is counted late: on time is never assumed.
    """
    done = Q(status=ActionStatus.DONE)
    on_time = done & Q(completed_at__lte=F("due_at"))
    late = done & (Q(completed_at__isnull=True) | Q(completed_at__gt=F("due_at")))
    figures = Action.objects.filter(
        discussion__local_authority=authority,
        due_at__gte=period.starts_at,
        due_at__lt=period.ends_before,
    ).aggregate(
        on_time=Count("pk", filter=on_time),
        late=Count("pk", filter=late),
        overdue=Count("pk", filter=Q(status=ActionStatus.OPEN, due_at__lt=now)),
        not_yet_due=Count("pk", filter=Q(status=ActionStatus.OPEN, due_at__gte=now)),
        cancelled=Count("pk", filter=Q(status=ActionStatus.CANCELLED)),
    )
    cancelled = figures.pop("cancelled")
    return ActionCompletion(counts=Timeliness(**figures), cancelled=cancelled)


# --- 8. reconvened discussions ----------------------------------------------------------

INTERVAL_BANDS = ((0, 7), (8, 14), (15, 21), (22, 28))


@dataclass(frozen=True)
class Reconvening:
    """Reconvened discussions held in the period, and the days since the one before."""

    title: ClassVar[str] = "Reconvened discussions and the time between them"
    intervals: tuple[int, ...] = field(default=())

    @property
    def count(self) -> int:
        return len(self.intervals)

    @property
    def median(self) -> float | None:
        return statistics.median(self.intervals) if self.intervals else None

    @property
    def longest(self) -> int | None:
        return max(self.intervals, default=None)

    @property
    def over_28_days(self) -> int:
        return sum(1 for days in self.intervals if days > RECONVENE_WITHIN_DAYS)

    def bands(self) -> tuple[tuple[str, int], ...]:
        """How many were held 0 to 7, 8 to 14, 15 to 21, 22 to 28 and over 28 days later."""
        counted = [
            (f"{low} to {high} days", sum(1 for days in self.intervals if low <= days <= high))
            for low, high in INTERVAL_BANDS
        ]
        return (*counted, (f"More than {RECONVENE_WITHIN_DAYS} days", self.over_28_days))

    def table(self) -> Table:
        def days(value: float | None) -> Cell:
            return "No data" if value is None else f"{value:g}"

        return Table(
            caption=self.title,
            headers=("Measure", "Value"),
            rows=(
                ("Reconvened discussions held", self.count),
                ("Median days since the discussion before", days(self.median)),
                ("Longest time, in days", days(self.longest)),
                *(
                    (f"Held {band[0].lower()}{band[1:]} later", count)
                    for band, count in self.bands()
                ),
            ),
        )


def reconvening(*, authority: LocalAuthority, period: Period, now: datetime) -> Reconvening:
    """For each reconvened discussion held in the period: the days (London dates) between the
    discussion it reconvenes being held and it being held. Only these pairs are read."""
    pairs = (
        Discussion.objects.filter(
            local_authority=authority,
            status=DiscussionStatus.HELD,
            held_at__gte=period.starts_at,
            held_at__lt=period.ends_before,
            previous__held_at__isnull=False,
        )
        .order_by()
        .values_list("held_at", "previous__held_at")
    )
    intervals = sorted(
        (to_london(held).date() - to_london(before).date()).days
        for held, before in pairs
        if held and before  # both always set: the query asks for held discussions
    )
    return Reconvening(intervals=tuple(intervals))


# --- the whole report --------------------------------------------------------------------

FIGURES: dict[str, Callable[..., Figure]] = {
    "timeliness": discussion_timeliness,
    "attendance": agency_attendance,
    "outcomes": decision_outcomes,
    "section-47": section_47_conversion,
    "icpc": icpc_timeliness,
    "minutes": minutes_timeliness,
    "actions": action_completion,
    "reconvening": reconvening,
}


@dataclass(frozen=True)
class PerformanceReport:
    authority: LocalAuthority
    period: Period
    figures: dict[str, Figure]


def performance_report(
    *, authority: LocalAuthority, period: Period, now: datetime
) -> PerformanceReport:
    """Every figure for the authority and period."""
    return PerformanceReport(
        authority=authority,
        period=period,
        figures={
            slug: compute(authority=authority, period=period, now=now)
            for slug, compute in FIGURES.items()
        },
    )


def _reporting_authority(user: User) -> LocalAuthority:
    if not may_see_reports(user) or user.agency is None:
        raise Http404("No such page")
    return user.agency.local_authority


def report_for(*, user: User, period: Period, now: datetime) -> PerformanceReport:
    """The user's authority's figures for the period (404 for anyone who may not see them)."""
    authority = _reporting_authority(user)
    with transaction.atomic():
        report = performance_report(authority=authority, period=period, now=now)
        audit_record(
            user=user,
            action="view-report",
            object_type="reports.performance",
            detail={"from": period.first.isoformat(), "to": period.last.isoformat()},
        )
    return report


def figure_for(*, user: User, slug: str, period: Period, now: datetime) -> Figure:
    """One figure of the user's authority (404 for an unknown figure or an unentitled user)."""
    authority = _reporting_authority(user)
    if slug not in FIGURES:
        raise Http404("No such figure")
    with transaction.atomic():
        figure = FIGURES[slug](authority=authority, period=period, now=now)
        audit_record(
            user=user,
            action="download-figure",
            object_type="reports.performance",
            detail={
                "figure": slug,
                "from": period.first.isoformat(),
                "to": period.last.isoformat(),
            },
        )
    return figure


# --- the statutory returns: one row per section 47 enquiry ----------------------------


@dataclass(frozen=True)
class Section47Enquiry:
    """One section 47 enquiry for one child: what the CIN census and Annex A need."""

    child_pk: int
    child_id: str
    date_of_birth: date | None
    unborn: bool
    expected_date: date | None
    gender: str
    ethnicity: str
    disability: str
    started: date
    icpc_target: date
    icpc_date: date | None
    icpc_recommended: bool
    enquiries_last_12_months: int
    icpcs_last_12_months: int
    team: str
    worker: str

    @property
    def icpc_not_required(self) -> bool:
        """No ICPC was recommended and none was held."""
        return not self.icpc_recommended and self.icpc_date is None


def _section_47_starts(authority: LocalAuthority) -> QuerySet[ChildDecision]:
    """Section 47 decisions, in held discussions, that start an enquiry.

    A reconvened discussion that decides section 47 again for a child whose previous
    discussion already did continues that enquiry; it does not start another.
    """
    continuing = ChildDecision.objects.filter(
        discussion=OuterRef("discussion__previous"),
        child=OuterRef("child"),
        outcome__in=SECTION_47_OUTCOMES,
    )
    return ChildDecision.objects.filter(
        discussion__local_authority=authority,
        discussion__status=DiscussionStatus.HELD,
        outcome__in=SECTION_47_OUTCOMES,
    ).exclude(Exists(continuing))


def _count_by_child(decisions: QuerySet[ChildDecision]) -> dict[int, int]:
    return dict(
        decisions.values("child_id")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("child_id", "count")
    )


def section_47_enquiries(*, authority: LocalAuthority, period: Period) -> list[Section47Enquiry]:
    """Each section 47 enquiry started in the period (the strategy discussion that decided it
    was held in it), child by child, oldest first.

    The ICPC target is 15 working days after the start, by the authority's working
    calendar; the ICPC date is when the discussion's ``icpc_held`` clock was met. The
    counts "in the last 12 months" are of the year up to the period's last day.
    """
    icpc_met_at = Clock.objects.filter(
        discussion=OuterRef("discussion"), code="icpc_held", state__in=MET
    ).values("met_at")[:1]
    rows = list(
        _section_47_starts(authority)
        .filter(
            discussion__held_at__gte=period.starts_at,
            discussion__held_at__lt=period.ends_before,
        )
        .annotate(icpc_met_at=Subquery(icpc_met_at))
        .select_related("child", "discussion__request__raised_by__team")
        .order_by("child_id", "discussion__held_at", "pk")
    )
    # Grouped by child over the authority's year: a few thousand small rows at most.
    year_from = datetime.combine(_year_before(period.last), time(0), tzinfo=LONDON)
    enquiries_in_year = _count_by_child(
        _section_47_starts(authority).filter(
            discussion__held_at__gte=year_from, discussion__held_at__lt=period.ends_before
        )
    )
    icpcs_in_year = _count_by_child(
        _section_47_starts(authority).filter(
            discussion__clocks__code="icpc_held",
            discussion__clocks__state__in=MET,
            discussion__clocks__met_at__gte=year_from,
            discussion__clocks__met_at__lt=period.ends_before,
        )
    )
    calendar = get_profile(authority.profile).calendar
    enquiries = []
    for row in rows:
        child = row.child
        raised_by = row.discussion.request.raised_by
        # held_at is set: the query asks for it to be in the period.
        started = to_london(row.discussion.held_at).date()  # type: ignore[arg-type]
        met_at: datetime | None = row.icpc_met_at
        enquiries.append(
            Section47Enquiry(
                child_pk=child.pk,
                child_id=child.local_reference or str(child.pk),
                date_of_birth=child.date_of_birth,
                unborn=child.unborn,
                expected_date=child.expected_date,
                gender=child.gender,
                ethnicity=child.ethnicity,
                disability=child.disability,
                started=started,
                icpc_target=calendar.add_working_days(started, ICPC_WORKING_DAYS),
                icpc_date=to_london(met_at).date() if met_at else None,
                icpc_recommended=AlsoDecided.RECOMMEND_ICPC.value in row.also,
                enquiries_last_12_months=enquiries_in_year.get(child.pk, 0),
                icpcs_last_12_months=icpcs_in_year.get(child.pk, 0),
                team=raised_by.team.name if raised_by.team else "",
                worker=str(raised_by),
            )
        )
    return enquiries


def returns_enquiries(
    *, authority: LocalAuthority, period: Period, user: User | None, purpose: str
) -> list[Section47Enquiry]:
    """The enquiries for a return, with the export audited (``user`` is None from the
    command line)."""
    with transaction.atomic():
        enquiries = section_47_enquiries(authority=authority, period=period)
        audit_record(
            user=user,
            action="export-return",
            object_type="reports.return",
            authority=authority,
            children=[enquiry.child_pk for enquiry in enquiries],
            detail={
                "return": purpose,
                "from": period.first.isoformat(),
                "to": period.last.isoformat(),
            },
        )
    return enquiries


def enquiries_for(*, user: User, period: Period, purpose: str) -> list[Section47Enquiry]:
    """The user's authority's enquiries for a return (404 for anyone who may not have them)."""
    if not may_download_returns(user) or user.agency is None:
        raise Http404("No such page")
    return returns_enquiries(
        authority=user.agency.local_authority, period=period, user=user, purpose=purpose
    )
