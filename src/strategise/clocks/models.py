"""Statutory clocks as data: computed by the policy engine when their event happens.

"What is due for this authority" is an index scan over (local authority, state, due),
never a recomputation over history.
"""

from __future__ import annotations

from django.db import models

from strategise.discussions.models import Discussion
from strategise.organisations.models import LocalAuthority, User
from strategise.policy import vocabulary


class ClockState(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Met on time"
    MET_LATE = "met_late", "Met late"
    STOPPED = "stopped", "Stopped"


class Clock(models.Model):
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT)
    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="clocks")
    code = models.CharField(max_length=40, choices=list(vocabulary.CLOCKS.items()))
    due_at = models.DateTimeField()
    source = models.CharField(max_length=200)
    rule = models.CharField(max_length=100)
    reason = models.TextField()
    state = models.CharField(max_length=20, choices=ClockState.choices, default=ClockState.OPEN)
    met_at = models.DateTimeField(null=True, blank=True)
    stopped_reason = models.TextField(blank=True)
    responsible = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="clocks"
    )

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["local_authority", "state", "due_at"], name="clock_due"),
            models.Index(fields=["responsible", "state", "due_at"], name="clock_responsible"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["discussion", "code"], name="clock_once_per_discussion")
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} by {self.due_at:%Y-%m-%d %H:%M}"
