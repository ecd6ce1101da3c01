"""The append-only, hash-chained audit log.

Each event's hash covers its content and the previous event's hash, so a changed or
deleted event breaks the chain; ``strategise audit verify`` checks it. Events are only
ever added, inside the same transaction as the read or write they record.
"""

from __future__ import annotations

from django.db import models

from strategise.organisations.models import User


class AuditEvent(models.Model):
    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True)
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60, blank=True)
    child_ids = models.JSONField(default=list)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.object_type}"


class AuditChainHead(models.Model):
    """One row holding the newest hash: locked to append, so the chain never forks."""

    last_hash = models.CharField(max_length=64)
    count = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.count} events, last {self.last_hash[:12]}"


class IdempotencyKey(models.Model):
    """A form's one-off token, kept with what its first post created: a repeated post of
    the same form answers with that, rather than creating it twice."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="idempotency_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id} for token {self.token[:8]}"
