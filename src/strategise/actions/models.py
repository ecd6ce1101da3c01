"""Who does what by when."""

from __future__ import annotations

from django.db import models

from strategise.cases.models import Child
from strategise.discussions.models import Discussion, DiscussionAuthority
from strategise.organisations.models import LocalAuthority, User


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class Action(DiscussionAuthority, models.Model):
    """An action agreed at (or created by) a strategy discussion."""

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="actions")
    # Copied from the discussion (the services set it; ``save`` checks it agrees) so that
    # the dashboard, the reports and the exports read one authority's actions through an
    # index, whatever the other authorities hold.
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    description = models.TextField()
    # Who it is for: one or more of the discussion's children; none means the whole family.
    children = models.ManyToManyField(Child, blank=True, related_name="actions")
    owner = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    agency_code = models.CharField(max_length=40, blank=True)
    owner_name = models.CharField(max_length=200, blank=True)
    due_at = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    completion_note = models.TextField(blank=True)
    # When it was marked done (kept if the note is edited later; cleared if reopened), so
    # the reports can tell an action done by its due time from one done late.
    completed_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(
        max_length=200, blank=True, help_text="The clause that created it, if a rule did."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Each update names the version it was based on (as the record's drafts do).
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["owner", "status", "due_at"], name="action_owner_due"),
            # Open actions only: "what is overdue" stays an index scan as history grows.
            models.Index(
                fields=["due_at"], name="action_open_due", condition=models.Q(status="open")
            ),
            # One authority's overdue actions (the dashboard), and its actions due in a
            # period (the reports).
            models.Index(
                fields=["local_authority", "due_at"],
                name="action_authority_open",
                condition=models.Q(status="open"),
            ),
            models.Index(fields=["local_authority", "due_at"], name="action_authority_due"),
        ]

    def __str__(self) -> str:
        return self.description[:60]
