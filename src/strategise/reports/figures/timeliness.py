"""Figure 1: strategy discussions held within their timescale, by the rule that set it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from django.db.models import BooleanField, Case, Count, OuterRef, Subquery, Value, When
from django.db.models.fields.json import KT

from strategise.discussions.models import Discussion
from strategise.organisations.models import LocalAuthority
from strategise.reports.period import Period
from strategise.reports.tables import TIMELINESS_HEADERS, Table, Timeliness
from strategise.requests.models import RequestStatus, StrategyRequest

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
    """Requests raised in the period, by the timescale that set their hold-by time."""

    title: ClassVar[str] = "Strategy discussions held within their timescale"
    definition: ClassVar[str] = (
        "Requests for a strategy discussion raised in these dates, by the timescale that set "
        "the time to hold it by. A request is on time if its first strategy discussion "
        "started by then and late if it started after; one with no discussion yet is "
        "overdue once that time has passed, and shown apart as not due yet until then. "
        "The rate is on time of those due. Withdrawn requests are left out, and so are "
        "requests with no time to hold it by."
    )
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
    """Requests raised in the period with a hold-by time (withdrawn ones aside): was the first
    discussion (not a reconvened one) started by then, after it, or not yet, and if not
    yet, is it overdue? Counted by when they were raised, so a request held soon after it
    was raised counts in the period it was raised in, whenever its deadline would have
    fallen.

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
            raised_at__gte=period.starts_at,
            raised_at__lt=period.ends_before,
            hold_by__isnull=False,
        )
        .exclude(status__in=[RequestStatus.WITHDRAWN, RequestStatus.CLOSED])
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
