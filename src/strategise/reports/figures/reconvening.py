"""Figure 8: reconvened discussions, and the days since the discussion before."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from strategise.discussions.models import Discussion, DiscussionStatus
from strategise.organisations.models import LocalAuthority
from strategise.policy import get_profile, to_london
from strategise.reports.period import Period
from strategise.reports.tables import Cell, Table

INTERVAL_BANDS = ((0, 7), (8, 14), (15, 21), (22, 28))


@dataclass(frozen=True)
class Reconvening:
    """Reconvened discussions held in the period, and the days since the one before."""

    title: ClassVar[str] = "Reconvened discussions and the time between them"
    definition: ClassVar[str] = (
        "Reconvened strategy discussions held in these dates, and the days between the "
        "discussion each one reconvened and it."
    )
    intervals: tuple[int, ...] = field(default=())
    # The longest interval the authority's procedure allows (Profile.reconvening), in days;
    # None where it sets none.
    limit: int | None = None

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
    def over_limit(self) -> int | None:
        """How many came later than the procedure allows (None where it sets no limit)."""
        if self.limit is None:
            return None
        return sum(1 for days in self.intervals if days > self.limit)

    def bands(self) -> tuple[tuple[str, int], ...]:
        """How many were held 0 to 7, 8 to 14, 15 to 21 and 22 to 28 days later, then more
        than 28 days (or more than the procedure's limit, where it sets one)."""
        counted = [
            (f"{low} to {high} days", sum(1 for days in self.intervals if low <= days <= high))
            for low, high in INTERVAL_BANDS
        ]
        last = INTERVAL_BANDS[-1][1]
        over = sum(1 for days in self.intervals if days > last)
        return (*counted, (f"More than {last} days", over))

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
    interval = get_profile(authority.profile).reconvening.interval
    limit = interval.within.count if interval and interval.within.unit == "days" else None
    return Reconvening(intervals=tuple(intervals), limit=limit)
