"""Figure 8: reconvened discussions, and the days since the discussion before."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from strategise.discussions.models import Discussion, DiscussionStatus
from strategise.organisations.models import LocalAuthority
from strategise.policy import to_london
from strategise.reports.period import Period
from strategise.reports.tables import Cell, Table

# Sandwell §2.0 (002_3bebd37290b13db4.txt): a further discussion within 28 days.
RECONVENE_WITHIN_DAYS = 28
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
