"""Figure 2: the attendance of each required agency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from django.db.models import Count, Q

from strategise.discussions.models import Attendance, DiscussionStatus, Invitation, Response
from strategise.organisations.models import LocalAuthority
from strategise.policy import vocabulary
from strategise.reports.period import Period
from strategise.reports.tables import Cell, Table, percent


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
    definition: ClassVar[str] = (
        "Invitations to the agencies a procedure requires, for strategy discussions held in "
        "these dates. The rate is the share of them that attended; a written report sent "
        "instead is counted separately, not as attending."
    )
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
        # An invitee who named a deputy is counted once, by the deputy's attendance.
        .exclude(response=Response.DEPUTY)
        .values("agency_code")
        .annotate(
            required_count=Count("pk"),
            attended=Count("pk", filter=Q(attendance=Attendance.ATTENDED)),
            reports_sent=Count("pk", filter=Q(attendance=Attendance.WRITTEN_REPORT)),
        )
        .order_by()
    )
    agencies = [
        AgencyRow(
            agency=row["agency_code"],
            required=row["required_count"],
            attended=row["attended"],
            written_report=row["reports_sent"],
        )
        for row in rows
    ]
    agencies.sort(key=lambda row: (-row.required, row.label))
    return AgencyAttendance(agencies=tuple(agencies))
