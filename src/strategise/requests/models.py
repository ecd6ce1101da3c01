"""Strategy discussion requests and the triage answer each was given.

The triage answer is stored as it was given, with the profile's version, so a later
change to a profile never rewrites a past decision. ``hold_by`` is copied out of it
and indexed: "what is due for this authority" is an index scan.
"""

from __future__ import annotations

from django.db import models

from strategise.cases.models import Adult, Child
from strategise.organisations.models import LocalAuthority, User


class RequestStatus(models.TextChoices):
    AWAITING_CONVENING = "awaiting_convening", "Waiting to be convened"
    CONVENED = "convened", "Convened"
    HELD = "held", "Held"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CLOSED = "closed", "Closed without a discussion"


class StrategyRequest(models.Model):
    """A request for a strategy discussion about one or more children."""

    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT)
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    identified_at = models.DateTimeField(help_text="When the concerns were identified.")
    children = models.ManyToManyField(Child, through="RequestChild", related_name="requests")
    concerns = models.JSONField(default=list)
    flags = models.JSONField(default=list)
    referrer = models.CharField(max_length=200, blank=True)
    narrative = models.TextField()
    status = models.CharField(
        max_length=30, choices=RequestStatus.choices, default=RequestStatus.AWAITING_CONVENING
    )
    # The triage answer as given, frozen with the version of the profile that gave it.
    facts = models.JSONField()
    triage = models.JSONField()
    profile = models.CharField(max_length=40)
    profile_version = models.CharField(max_length=60)
    discussion_type = models.CharField(max_length=20)
    hold_by = models.DateTimeField(null=True, blank=True)
    # The child's allocated social worker, if one is recorded: their team manager holds
    # the clocks the procedure gives to no one in particular.
    allocated_worker = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="allocated_requests"
    )
    # Closed without a discussion (a manager's view) or withdrawn: by whom, when and why.
    ended_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["hold_by", "pk"]
        indexes = [
            models.Index(fields=["local_authority", "status", "hold_by"], name="request_due"),
        ]

    def __str__(self) -> str:
        return f"Request {self.pk}"


class RequestChild(models.Model):
    request = models.ForeignKey(StrategyRequest, on_delete=models.CASCADE)
    child = models.ForeignKey(Child, on_delete=models.PROTECT)
    # The household label the triage saw, so "children in different families" is kept.
    household = models.CharField(max_length=40)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "child"], name="request_child_unique")
        ]

    def __str__(self) -> str:
        return f"{self.child} in request {self.request_id}"


class AllegedPerpetrator(models.Model):
    request = models.ForeignKey(
        StrategyRequest, on_delete=models.CASCADE, related_name="alleged_perpetrators"
    )
    adult = models.ForeignKey(Adult, on_delete=models.PROTECT, null=True, blank=True)
    name = models.CharField(max_length=200, blank=True)
    position_of_trust = models.BooleanField(default=False)
    role = models.CharField(
        max_length=200, blank=True, help_text="For a position of trust: their job or role."
    )

    def __str__(self) -> str:
        return self.name or "Unnamed alleged perpetrator"
