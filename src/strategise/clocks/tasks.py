"""Background tasks for clocks: the tick (breaches and reminders) and the daily digests.

Each is safe to run twice, or on two workers at once: a clock is locked while it is
handled, and every notification has a unique key.
"""

from __future__ import annotations

from datetime import datetime

from django.tasks import task
from django.utils import timezone

from strategise.clocks.digest import digests_send
from strategise.clocks.services import clocks_mark_breached, clocks_remind


def _moment(now: str | None) -> datetime:
    return datetime.fromisoformat(now) if now else timezone.now()


@task()
def clocks_tick(now: str | None = None) -> dict[str, int]:
    """Mark overdue clocks breached (alerting managers), then send reminders that are due."""
    moment = _moment(now)
    breached = clocks_mark_breached(now=moment)
    reminded = clocks_remind(now=moment)
    return {"breached": len(breached), "reminded": len(reminded)}


@task()
def digests_tick(now: str | None = None) -> int:
    """Send today's digests, if it is digest time and they have not gone yet."""
    return len(digests_send(now=_moment(now)))
