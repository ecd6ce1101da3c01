"""The append-only, keyed and hash-chained audit log: one chain per local authority.

Each event's seal (an HMAC under ``STRATEGISE_AUDIT_KEY``) covers its content and the
previous event's hash, so a changed or deleted event breaks its chain and cannot be
sealed again without the key; ``strategise audit verify`` checks every chain. Events
are only ever added, inside the same transaction as the read or write they record; on
PostgreSQL a trigger refuses UPDATE and DELETE on the table.
"""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Coalesce

from strategise.audit.sealing import HMAC_SHA256, SHA256
from strategise.organisations.models import LocalAuthority, User

# Events and heads with no authority form the national chain; this is its key in the
# uniqueness constraints (an authority's key is its id, which is never 0).
NATIONAL = 0


def _chain() -> Coalesce:
    return Coalesce("local_authority", models.Value(NATIONAL))


class Scheme(models.TextChoices):
    SHA256 = SHA256, "SHA-256, unkeyed (events before the audit key)"
    HMAC_SHA256 = HMAC_SHA256, "HMAC-SHA-256 with the audit key"


class SecurityAction(models.TextChoices):
    """The security events; every part of Strategise records them under these names."""

    SIGNED_IN = "signed-in", "Signed in"
    SIGN_IN_FAILED = "sign-in-failed", "Sign-in failed"
    LOCKED_OUT = "locked-out", "Locked out"
    SECOND_FACTOR_SET_UP_STARTED = "second-factor-set-up-started", "Second factor set-up started"
    SECOND_FACTOR_ENROLLED = "second-factor-enrolled", "Second factor enrolled"
    SECOND_FACTOR_USED = "second-factor-used", "Second factor used"
    SECOND_FACTOR_FAILED = "second-factor-failed", "Second factor failed"
    RECOVERY_CODES_ISSUED = "recovery-codes-issued", "Recovery codes issued"
    RECOVERY_CODE_USED = "recovery-code-used", "Recovery code used"
    SIGNED_OUT = "signed-out", "Signed out"
    PASSWORD_CHANGED = "password-changed", "Password changed"
    PASSWORD_RESET = "password-reset", "Password reset"
    ACCESS_REFUSED = "access-refused", "Access refused"
    SESSION_ENDED = "session-ended", "Session ended (idle or too long)"
    SIGNED_OUT_EVERYWHERE = "signed-out-everywhere", "Signed out of every device"
    PASSWORD_RESET_ASKED = "password-reset-asked", "Password reset asked for"
    # What an administrator does to an account (the event's object is the account).
    ACCOUNT_CREATED = "account-created", "Account created"
    ACCOUNT_CHANGED = "account-changed", "Account changed"
    ACCOUNT_DEACTIVATED = "account-deactivated", "Account deactivated"
    ACCOUNT_REACTIVATED = "account-reactivated", "Account reactivated"
    SECOND_FACTOR_RESET = "second-factor-reset", "Second factor reset"
    UNLOCKED = "unlocked", "Unlocked"
    TEAM_MANAGER_SET = "team-manager-set", "Team manager set"


class AuditEvent(models.Model):
    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True)
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60, blank=True)
    child_ids = models.JSONField(default=list)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict)
    # The chain the event belongs to (none: the national chain) and its place in it.
    # No index of its own: the (chain, sequence) constraint's index serves every lookup.
    local_authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    sequence = models.PositiveBigIntegerField()
    scheme = models.CharField(max_length=12, choices=Scheme)
    # Which key sealed a keyed event (see sealing.key_id); blank for unkeyed ones.
    key_id = models.CharField(max_length=16, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]
        constraints = [
            models.UniqueConstraint(_chain(), "sequence", name="audit_event_place_in_chain"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.object_type}"


class AuditChainHead(models.Model):
    """The newest hash of one chain: locked to append, so the chain never forks. Each
    authority has its own, so audited reads in different authorities do not queue."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    last_hash = models.CharField(max_length=64)
    count = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(_chain(), name="audit_one_head_per_chain")]

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
