"""What every figure is made of: counts, rates and the table a figure gives itself as."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Protocol

from strategise.clocks.models import ClockState

# Clock states counted as met: on time or late.
MET = (ClockState.MET, ClockState.MET_LATE)

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
    # How the figure is counted, in a short paragraph: shown beside it on the reports page.
    definition: ClassVar[str]

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
