"""Figures 5 and 6, counted from statutory clocks: initial child protection conferences
within 15 working days, and decisions and minutes sent on time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from django.db.models import Count, Q

from strategise.clocks.models import Clock, ClockState
from strategise.organisations.models import LocalAuthority
from strategise.policy import vocabulary
from strategise.reports.period import Period
from strategise.reports.tables import MET, TIMELINESS_HEADERS, Table, Timeliness


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
    definition: ClassVar[str] = (
        "Initial child protection conferences (ICPCs) due in these dates: held within their "
        "timescale (15 working days from the strategy discussion in most procedures), held "
        "late, or not held yet and overdue; those not due yet are shown apart. Conferences "
        "no longer needed are shown as stopped and left out of the rate."
    )
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
    definition: ClassVar[str] = (
        "Decisions and minutes due to be sent in these dates, against each procedure's "
        "timescale: sent on time, sent late, or not sent yet and overdue; those not due "
        "yet are shown apart. Stopped clocks are left out of the rate."
    )
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
