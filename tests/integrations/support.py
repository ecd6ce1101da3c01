"""A webhook delivery with one failed try, for the pages that show the log."""

from __future__ import annotations

from django.utils import timezone

from strategise.integrations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


def tried_once(endpoint: WebhookEndpoint, *, excerpt: str) -> WebhookDelivery:
    """A request.created delivery whose one try had a 500 answering ``excerpt``."""
    now = timezone.now()
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id="evt_1",
        event="request.created",
        payload={},
        created_at=now,
        attempts=1,
        next_attempt_at=now,
    )
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=1,
        at=now,
        status_code=500,
        response_excerpt=excerpt,
        error="HTTP 500",
    )
    return delivery
