"""A notification: something a person is told once, in Strategise and by email.

``dedupe_key`` is unique: whatever sends a notification names it (``clock:12:reminder``),
so a task that runs twice, or on two workers at once, tells nobody twice. Notifications
are emailed, so they carry no case detail (no names of children, no action's text), only
request and discussion numbers, what needs doing, and what they point at (a
``strategise.links.Target``: a kind and a key, which the pages turn into a link).

Its email goes at most once: the task claims it (``email_claimed_at``) and commits before
sending, then records ``emailed_at``. Claimed but never marked emailed means the sender
failed or died mid-send; the email may or may not have gone, so nothing sends it again.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from strategise.links import Target, TargetKind
from strategise.organisations.models import User


class Kind(models.TextChoices):
    REMINDER = "reminder", "Reminder"
    OVERDUE = "overdue", "Overdue"
    DIGEST = "digest", "Daily summary"
    ESCALATION = "escalation", "Escalation"
    DISAGREEMENT = "disagreement", "Professional disagreement"
    PATTERN = "pattern", "Pattern across cases"
    INVITEE = "invitee", "From an invitee"


class Notification(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    # What the notification points at (see ``target``); blank for nothing.
    target_kind = models.CharField(
        max_length=30, choices=[(kind.value, kind.value) for kind in TargetKind], blank=True
    )
    target_key = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user"),
            models.Index(
                fields=["user"], name="notification_unread", condition=Q(read_at__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user}: {self.text[:40]}"

    @property
    def target(self) -> Target | None:
        """Where the notification leads its reader, if anywhere."""
        if not self.target_kind:
            return None
        return Target(TargetKind(self.target_kind), self.target_key)

    @property
    def subject(self) -> str:
        """The email's subject: the kind, then the first sentence."""
        first = self.text.split("\n", 1)[0].split(". ", 1)[0].rstrip(".")
        return f"{self.get_kind_display()}: {first}"[:150]
