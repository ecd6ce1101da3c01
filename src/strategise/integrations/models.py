"""Webhooks: an authority's endpoints, and each event's delivery to one of them.

A ``WebhookDelivery`` is an outbox row: the service that changes a record writes it in the
same transaction as the change (``integrations.services.webhook_emit``), so an event is
sent if and only if its change committed. The task worker sends it
(``integrations.tasks``), and each try is a ``WebhookAttempt`` (the delivery log).

An endpoint's secret signs what is sent (``integrations.signing``). It is stored encrypted
(``integrations.encryption``: the key is outside the database), shown once when it is
made, never logged and never part of an attempt's record.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from strategise.organisations.models import LocalAuthority


class Event(models.TextChoices):
    REQUEST_CREATED = "request.created", "A strategy discussion request was raised"
    DISCUSSION_CONVENED = "discussion.convened", "A strategy discussion was convened"
    DISCUSSION_CONCLUDED = "discussion.concluded", "A strategy discussion was concluded"
    MINUTES_APPROVED = "minutes.approved", "Minutes were approved"
    CLOCK_BREACHED = "clock.breached", "A statutory clock was breached"


class WebhookEndpoint(models.Model):
    """Where one authority's case system hears of events, and which."""

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="webhook_endpoints"
    )
    url = models.URLField(max_length=500)
    # The secret (Standard Webhooks' form: "whsec_" and the key in base64,
    # integrations.signing), encrypted under STRATEGISE_FIELD_KEY (integrations.encryption).
    secret_encrypted = models.TextField(editable=False)
    events = models.JSONField(default=list, help_text="The event types it is sent.")
    active = models.BooleanField(default=True)
    description = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["local_authority", "pk"]

    def __str__(self) -> str:
        # Never the secret.
        return f"Webhook {self.pk} of {self.local_authority_id}: {self.url}"

    def __repr__(self) -> str:
        return f"<WebhookEndpoint {self.pk} {self.url}>"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent, or to be tried again"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed every try"


class WebhookDelivery(models.Model):
    """One event for one endpoint: its payload as sent, and where its tries have got to."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.PROTECT, related_name="deliveries"
    )
    # The event's id (Standard Webhooks' ``webhook-id``): the same for every delivery and
    # replay of one event, so a receiver can tell a repeat.
    event_id = models.CharField(max_length=40)
    event = models.CharField(max_length=40, choices=Event.choices)
    payload = models.JSONField()
    created_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    # When it is next tried (pending), or until when the try under way holds it.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    replay_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="replays"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due",
                condition=Q(status="pending"),
            ),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_endpoint"),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.event_id} to endpoint {self.endpoint_id} ({self.status})"


class WebhookAttempt(models.Model):
    """One try at sending a delivery: the delivery log."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveIntegerField()
    at = models.DateTimeField()
    # None where no answer came (refused, timed out).
    status_code = models.PositiveIntegerField(null=True, blank=True)
    succeeded = models.BooleanField(default=False)
    # The first characters of the answer, or what went wrong.
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=300, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="webhook_attempt_unique")
        ]

    def __str__(self) -> str:
        return f"Attempt {self.number} of delivery {self.delivery_id}: {self.status_code}"
