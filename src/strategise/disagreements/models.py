"""Professional disagreements: raised by a participant, escalated stage by stage, resolved.

The stages come from the local procedure (the profile's ``escalation_stages``, e.g.
Gloucestershire's professional → line managers → strategy discussion leads →
partnership); each disagreement stores the stage it is at, with its clause, so a later
change to the profile never rewrites where a past one stood. Every move is kept.
"""

from __future__ import annotations

from django.db import models

from strategise.discussions.models import Discussion
from strategise.organisations.models import Agency, LocalAuthority, User
from strategise.requests.models import StrategyRequest


class Subject(models.TextChoices):
    """What the difference of opinion is about (003_d9dc6ed7629d3148.txt §Dispute Resolution
    and Escalation Procedure)."""

    HOLDING = "holding", "Whether to hold a strategy discussion"
    OUTCOME = "outcome", "The outcome of a strategy discussion"
    S47_OUTCOME = "s47_outcome", "The outcome of the section 47 enquiry"


class DisagreementStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class Resolution(models.TextChoices):
    AGREED = "agreed", "Agreed: the decision stands"
    CHANGED = "changed", "Agreed: the decision changes"
    DISCUSSION = "discussion", "A strategy discussion is held to decide"
    WITHDRAWN = "withdrawn", "Withdrawn by whoever raised it"


class Disagreement(models.Model):
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT)
    request = models.ForeignKey(
        StrategyRequest, on_delete=models.PROTECT, related_name="disagreements"
    )
    discussion = models.ForeignKey(
        Discussion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disagreements",
    )
    subject = models.CharField(max_length=20, choices=Subject.choices)
    description = models.TextField(help_text="What the difference of opinion is, and why.")
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    raised_by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    raised_at = models.DateTimeField()
    # Where it stands: the stage (as the procedure names it) and who holds it, since when.
    stage = models.PositiveSmallIntegerField(default=0, help_text="Index into the stages.")
    stage_code = models.CharField(max_length=100, help_text="The stage's id in the profile.")
    stage_title = models.CharField(max_length=200)
    stage_source = models.CharField(max_length=200)
    # The people the stage's holder (the profile's ``held_by``) resolves to in Strategise;
    # none where it is held outside (``outside_name`` and ``outside_email``) or nobody is
    # recorded in that role. ``holder_name`` says who holds it in words, either way.
    holders = models.ManyToManyField(User, blank=True, related_name="held_disagreements")
    holder_name = models.CharField(max_length=1000)
    outside_name = models.CharField(max_length=200, blank=True)
    outside_email = models.EmailField(blank=True)
    held_since = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=DisagreementStatus.choices, default=DisagreementStatus.OPEN
    )
    resolution = models.CharField(max_length=20, choices=Resolution.choices, blank=True)
    outcome = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["held_since", "pk"]
        indexes = [
            models.Index(
                fields=["local_authority", "status", "held_since"], name="disagreement_open"
            ),
        ]

    def __str__(self) -> str:
        return f"Disagreement {self.pk}: {self.get_subject_display()}"


class Move(models.Model):
    """One step in a disagreement's history: raised, escalated, or resolved."""

    class Kind(models.TextChoices):
        RAISED = "raised", "Raised"
        ESCALATED = "escalated", "Escalated"
        RESOLVED = "resolved", "Resolved"

    disagreement = models.ForeignKey(Disagreement, on_delete=models.CASCADE, related_name="moves")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    stage_title = models.CharField(max_length=200)
    stage_source = models.CharField(max_length=200)
    holder_name = models.CharField(max_length=1000)
    outside_email = models.EmailField(blank=True)
    note = models.TextField(blank=True)
    moved_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    moved_at = models.DateTimeField()

    class Meta:
        ordering = ["moved_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.stage_title}"
