"""Convening a strategy discussion: its format, time, chair, invitations and attendance."""

from __future__ import annotations

import secrets

from django.db import models

from strategise.organisations.models import Agency, LocalAuthority, User
from strategise.requests.models import StrategyRequest


class Format(models.TextChoices):
    IN_PERSON = "in_person", "Meeting in person"
    VIRTUAL = "virtual", "Virtual meeting"
    CALLS = "calls", "Series of phone calls"


class DiscussionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    STARTED = "started", "Started"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Discussion(models.Model):
    """One strategy discussion (or meeting) held for a request."""

    request = models.ForeignKey(
        StrategyRequest, on_delete=models.PROTECT, related_name="discussions"
    )
    # Copied from the request so that every scoped query filters one indexed column.
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT)
    format = models.CharField(max_length=20, choices=Format.choices)
    format_reason = models.TextField(
        blank=True, help_text="Why a series of calls, where the procedure expects a meeting."
    )
    scheduled_for = models.DateTimeField()
    location = models.CharField(max_length=300, blank=True)
    chair = models.ForeignKey(User, on_delete=models.PROTECT, related_name="chairing")
    chair_exception = models.TextField(
        blank=True, help_text="Why this chair may chair though below the minimum grade."
    )
    minute_taker = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="minuting", null=True, blank=True
    )
    delay_rationale = models.TextField(
        blank=True, help_text="Why it is held after its deadline (Bristol §3.2)."
    )
    status = models.CharField(
        max_length=20, choices=DiscussionStatus.choices, default=DiscussionStatus.SCHEDULED
    )
    started_at = models.DateTimeField(null=True, blank=True)
    convened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    convened_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["scheduled_for", "pk"]
        indexes = [
            models.Index(
                fields=["local_authority", "status", "scheduled_for"], name="discussion_due"
            ),
            models.Index(fields=["chair", "status"], name="discussion_chair"),
        ]

    def __str__(self) -> str:
        return f"Strategy discussion {self.pk}"


class Response(models.TextChoices):
    AWAITING = "awaiting", "Not replied"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"


class Attendance(models.TextChoices):
    ATTENDED = "attended", "Attended"
    APOLOGIES = "apologies", "Sent apologies"
    WRITTEN_REPORT = "written_report", "Sent a written report"
    NO_RESPONSE = "no_response", "Did not respond"


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(models.Model):
    """An invitation to one person or agency, who may or may not use Strategise."""

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="invitations"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True)
    agency_code = models.CharField(max_length=40, help_text="The contract's attendee code.")
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    required = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    source = models.CharField(max_length=200, blank=True)
    response = models.CharField(max_length=20, choices=Response.choices, default=Response.AWAITING)
    attendance = models.CharField(max_length=20, choices=Attendance.choices, blank=True)
    absence_reason = models.TextField(
        blank=True, help_text="Why the discussion went ahead without this required agency."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    token = models.CharField(max_length=64, unique=True, default=_new_token)

    class Meta:
        ordering = ["-required", "agency_code", "pk"]
        indexes = [models.Index(fields=["user", "discussion"], name="invitation_user")]

    def __str__(self) -> str:
        return self.name or self.agency_code
