"""Background tasks of webhooks: each delivery tried by a worker, retries by the tick."""

from __future__ import annotations

from datetime import datetime

from django.tasks import task
from django.utils import timezone

from strategise.integrations.services import webhook_delivery_attempt, webhooks_due


@task()
def webhook_delivery_send(delivery_id: int) -> bool:
    """Try one delivery, if its time has come; whether the receiver took it."""
    attempt = webhook_delivery_attempt(delivery_id=delivery_id, now=timezone.now())
    return attempt is not None and attempt.succeeded


@task()
def webhooks_tick(now: str | None = None) -> int:
    """Enqueue a try of every delivery whose retry is due (or whose first try was lost)."""
    moment = datetime.fromisoformat(now) if now else timezone.now()
    due = webhooks_due(now=moment)
    for pk in due:
        webhook_delivery_send.enqueue(pk)
    return len(due)
