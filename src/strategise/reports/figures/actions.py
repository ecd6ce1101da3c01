"""Figure 7: actions agreed at strategy discussions, done on time or not."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from django.db.models import Count, F, Q

from strategise.actions.models import Action, ActionStatus
from strategise.organisations.models import LocalAuthority
from strategise.reports.period import Period
from strategise.reports.tables import Table, Timeliness


@dataclass(frozen=True)
class ActionCompletion:
    """Actions due in the period: done by their due time, done after it, open and overdue,
    open and not due yet; and those cancelled, which are left out of the rate."""

    title: ClassVar[str] = "Actions completed"
    definition: ClassVar[str] = (
        "Actions agreed at strategy discussions with their due time in these dates. An "
        "action is done on time if it was marked done by its due time and late if it was "
        "marked done after it; an open one is overdue once its due time has passed. "
        "Cancelled actions are left out of the rate."
    )
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
        local_authority=authority,
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
