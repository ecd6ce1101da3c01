"""Figure 3: the decision for each child, by outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from django.db.models import Count

from strategise.discussions.models import Outcome
from strategise.organisations.models import LocalAuthority
from strategise.reports.figures.held import held_decisions
from strategise.reports.period import Period
from strategise.reports.tables import Table, percent


@dataclass(frozen=True)
class DecisionOutcomes:
    """The decision for each child in discussions held in the period, by outcome."""

    title: ClassVar[str] = "Decisions for each child, by outcome"
    definition: ClassVar[str] = (
        "The decision recorded for each child in the strategy discussions held in these "
        "dates: a child discussed twice is counted twice."
    )
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
        held_decisions(authority, period)
        .values("outcome")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("outcome", "count")
    )
    return DecisionOutcomes(counts=tuple((value, found.get(value, 0)) for value in Outcome.values))
