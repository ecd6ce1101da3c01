"""Recovering background tasks whose worker died.

The database worker (``manage.py db_worker``, django-tasks-db) marks a task RUNNING when it
takes it and finished when it is done; it keeps no heartbeat, so a worker killed in
between (out of memory, a host restart, ``kill -9``) leaves its task RUNNING for ever and
nothing runs it. django-tasks-db offers no timeout for this, so the clock tick calls
``stale_tasks_requeue`` every minute: a task RUNNING for longer than
``STRATEGISE_TASK_STALE_MINUTES`` goes back to READY for any worker to take. That is safe
because every task is idempotent (docs/tasks.md) and an email goes at most once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import task_backends
from django.tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def stale_tasks_requeue(*, now: datetime, stale_after: timedelta | None = None) -> list[str]:
    """Queue again each database task left RUNNING since before ``now - stale_after``.

    Returns their ids; does nothing when the tasks backend is not the database's.
    """
    aliases = [
        alias for alias in settings.TASKS if isinstance(task_backends[alias], DatabaseBackend)
    ]
    if not aliases:
        return []
    if stale_after is None:
        stale_after = timedelta(minutes=settings.STRATEGISE_TASK_STALE_MINUTES)
    with transaction.atomic():
        stale = list(
            DBTaskResult.objects.select_for_update(skip_locked=True).filter(
                backend_name__in=aliases,
                status=TaskResultStatus.RUNNING,
                started_at__lt=now - stale_after,
            )
        )
        for result in stale:
            logger.warning(
                "Task %s (%s), running since %s on worker %s, looks abandoned: queued again",
                result.id,
                result.task_path,
                result.started_at.isoformat() if result.started_at else "?",
                result.worker_ids[-1] if result.worker_ids else "?",
            )
        DBTaskResult.objects.filter(pk__in=[result.pk for result in stale]).update(
            status=TaskResultStatus.READY, started_at=None
        )
    return [str(result.id) for result in stale]
