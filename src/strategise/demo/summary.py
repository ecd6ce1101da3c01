"""What the demo holds in each authority, counted: what ``manage.py demo`` prints."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from strategise.actions.models import Action, ActionStatus
from strategise.clocks.models import Clock
from strategise.disagreements.models import Disagreement
from strategise.discussions.models import Discussion
from strategise.minutes.models import Minutes
from strategise.notifications.models import Notification
from strategise.organisations.models import LocalAuthority
from strategise.requests.models import StrategyRequest


@dataclass(frozen=True)
class AuthoritySummary:
    """One authority's counts, each by state where it has one."""

    name: str
    requests: dict[str, int]
    discussions: dict[str, int]
    minutes: dict[str, int]
    clocks: dict[str, int]
    actions: dict[str, int]
    disagreements: dict[str, int]
    notifications: int

    def lines(self) -> list[str]:
        def counted(label: str, counts: dict[str, int]) -> str:
            parts = ", ".join(f"{count} {state}" for state, count in sorted(counts.items()))
            return f"    {label}: {sum(counts.values())} ({parts})"

        return [
            f"  {self.name}:",
            counted("requests", self.requests),
            counted("discussions", self.discussions),
            counted("minutes", self.minutes),
            counted("clocks", self.clocks),
            counted("actions", self.actions),
            counted("disagreements", self.disagreements),
            f"    notifications: {self.notifications}",
        ]


def _by(queryset: object, field: str) -> dict[str, int]:
    return dict(Counter(queryset.values_list(field, flat=True)))  # type: ignore[attr-defined]


def _actions(authority: LocalAuthority, now: datetime) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for status, due_at, completed_at in Action.objects.filter(
        discussion__local_authority=authority
    ).values_list("status", "due_at", "completed_at"):
        if status == ActionStatus.DONE:
            late = completed_at is not None and completed_at > due_at
            counts["done late" if late else "done on time"] += 1
        elif status == ActionStatus.OPEN:
            counts["overdue" if due_at < now else "open, not yet due"] += 1
        else:
            counts[status] += 1
    return dict(counts)


def authority_summary(authority: LocalAuthority, *, now: datetime) -> AuthoritySummary:
    return AuthoritySummary(
        name=authority.name,
        requests=_by(StrategyRequest.objects.filter(local_authority=authority), "status"),
        discussions=_by(Discussion.objects.filter(local_authority=authority), "status"),
        minutes=_by(Minutes.objects.filter(discussion__local_authority=authority), "status"),
        clocks=_by(Clock.objects.filter(local_authority=authority), "state"),
        actions=_actions(authority, now),
        disagreements=_disagreements(authority),
        notifications=Notification.objects.filter(user__agency__local_authority=authority).count(),
    )


def _disagreements(authority: LocalAuthority) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for status, stage in Disagreement.objects.filter(local_authority=authority).values_list(
        "status", "stage_title"
    ):
        counts["resolved" if status == "resolved" else f"open at '{stage}'"] += 1
    return dict(counts)
