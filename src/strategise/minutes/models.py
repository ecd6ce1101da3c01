"""Minutes and their distribution.

An approved version is frozen: its document (the structure the PDF and DOCX are made
from) is never changed again. A correction is a new version with its reason. A draft
keeps the document generated from the record beside the minute-taker's wording, so the
chair sees what was changed before approving exactly that.
"""

from __future__ import annotations

from django.db import models

from strategise.discussions.models import Discussion, Invitation
from strategise.organisations.models import User


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    SUPERSEDED = "superseded", "Superseded by a correction"


class Minutes(models.Model):
    discussion = models.ForeignKey(Discussion, on_delete=models.PROTECT, related_name="minutes")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    #: What is printed: the document generated from the record, with the wording in place.
    document = models.JSONField()
    #: The document as generated from the record, before the minute-taker's wording.
    generated = models.JSONField(default=dict)
    #: The minute-taker's wording of passages, by passage id (only those changed).
    wording = models.JSONField(default=dict, blank=True)
    #: Counts each change to a draft (redrafted, reworded): approval names the one it saw.
    revision = models.PositiveIntegerField(default=1)
    drafted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    drafted_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    correction_reason = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "minutes"
        ordering = ["discussion", "number"]
        constraints = [
            models.UniqueConstraint(fields=["discussion", "number"], name="minutes_version")
        ]

    def __str__(self) -> str:
        return f"Minutes of {self.discussion}, version {self.number}"


class Method(models.TextChoices):
    EMAIL = "email", "Email with the PDF attached"
    SECURE_EMAIL = "secure_email", "Secure email"
    SYSTEM = "system", "Has access in the case recording system"
    POST = "post", "Post"
    HAND = "hand", "By hand"


class Recipient(models.Model):
    """Someone on the distribution list of a discussion's minutes."""

    discussion = models.ForeignKey(Discussion, on_delete=models.CASCADE, related_name="recipients")
    invitation = models.ForeignKey(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=200)
    name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    method = models.CharField(max_length=20, choices=Method.choices, default=Method.EMAIL)
    source = models.CharField(max_length=200, blank=True)
    included = models.BooleanField(default=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name or self.role


class Sending(models.Model):
    """One version of the minutes sent to one recipient: when, how, by whom."""

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="sendings")
    recipient = models.ForeignKey(Recipient, on_delete=models.PROTECT, related_name="sendings")
    method = models.CharField(max_length=20, choices=Method.choices)
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["minutes", "recipient"], name="sent_once")]

    def __str__(self) -> str:
        return f"{self.minutes} to {self.recipient}"
