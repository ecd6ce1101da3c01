"""Statutory clocks as data: computed by the policy engine when their event happens.

A clock hangs off the request it is about and, once a discussion is held, off that
discussion too. "What is due for this authority" is an index scan over (local authority,
state, due), never a recomputation over history; the background tick finds clocks to
mark breached and people to remind through partial indexes that hold only live clocks.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from strategise.discussions.models import Discussion
from strategise.organisations.models import LocalAuthority, User
from strategise.policy import vocabulary
from strategise.requests.models import StrategyRequest

# The request's own clock: the triage's hold-by deadline for its strategy discussion. Not
# a contract clock code (those start when a discussion is held), so it is named here.
DISCUSSION_HELD = "discussion_held"
CLOCK_LABELS: dict[str, str] = {
    DISCUSSION_HELD: "Strategy discussion held",
    **vocabulary.CLOCKS,
}


class ClockState(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Met on time"
    MET_LATE = "met_late", "Met late"
    BREACHED = "breached", "Overdue"
    STOPPED = "stopped", "Stopped"


# Still waiting for their event: an open clock, or one past its due time (breached).
LIVE_STATES = (ClockState.OPEN, ClockState.BREACHED)


class Clock(models.Model):
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT)
    request = models.ForeignKey(StrategyRequest, on_delete=models.CASCADE, related_name="clocks")
    discussion = models.ForeignKey(
        Discussion, on_delete=models.CASCADE, related_name="clocks", null=True, blank=True
    )
    # The child a per-child clock is for (each child's initial child protection conference);
    # empty for a clock of the whole discussion.
    child = models.ForeignKey(
        "cases.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="clocks"
    )
    code = models.CharField(max_length=40, choices=list(CLOCK_LABELS.items()))
    started_at = models.DateTimeField(help_text="When the event that started the clock happened.")
    due_at = models.DateTimeField()
    source = models.CharField(max_length=200)
    rule = models.CharField(max_length=100)
    reason = models.TextField()
    state = models.CharField(max_length=20, choices=ClockState.choices, default=ClockState.OPEN)
    met_at = models.DateTimeField(null=True, blank=True)
    breached_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stopped_reason = models.TextField(blank=True)
    # When the person responsible is reminded; cleared once they are, or the clock closes.
    remind_at = models.DateTimeField(null=True, blank=True)
    responsible = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="clocks"
    )
    # Why they hold it: the procedure's clause that says who, or the rule used where it is
    # silent (the allocated worker's team manager).
    responsible_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["local_authority", "state", "due_at"], name="clock_due"),
            models.Index(fields=["responsible", "state", "due_at"], name="clock_responsible"),
            # Only live clocks: the tick's "what has just become overdue" stays small.
            models.Index(
                fields=["state", "due_at"],
                name="clock_live",
                condition=Q(state__in=["open", "breached"]),
            ),
            models.Index(
                fields=["remind_at"], name="clock_remind", condition=Q(remind_at__isnull=False)
            ),
            # One authority's live clocks by deadline: the dashboard's overdue clocks. Without
            # it PostgreSQL may walk every authority's live clocks (``clock_live``) and filter.
            models.Index(
                fields=["local_authority", "due_at", "id"],
                name="clock_authority_live",
                condition=Q(state__in=["open", "breached"]),
            ),
            # One authority's clocks of a few codes due in a period: the report's ICPC and
            # minutes timeliness. ``clock_due`` puts the state between the authority and the
            # due time, so those read every clock of the authority and filter.
            models.Index(fields=["local_authority", "code", "due_at"], name="clock_code_due"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["discussion", "code"],
                condition=Q(child__isnull=True),
                name="clock_once_per_discussion",
            ),
            models.UniqueConstraint(
                fields=["discussion", "code", "child"],
                condition=Q(child__isnull=False),
                name="clock_once_per_child",
            ),
            models.UniqueConstraint(
                fields=["request", "code"],
                condition=Q(discussion__isnull=True),
                name="clock_once_per_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} by {self.due_at:%Y-%m-%d %H:%M}"

    @property
    def live(self) -> bool:
        """Whether the clock still waits for its event (open, or overdue)."""
        return self.state in LIVE_STATES
