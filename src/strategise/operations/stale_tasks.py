"""Recovering background tasks whose worker died.

The database worker (``manage.py db_worker``, django-tasks-db) marks a task RUNNING when it
takes it and finished when it is done; it keeps no heartbeat, so a worker killed in
between (out of memory, a host restart, ``kill -9``) leaves its task RUNNING for ever and
nothing runs it. django-tasks-db offers no timeout for this, so the clock tick calls
``stale_tasks_requeue`` every minute: a task RUNNING for longer than
``STRATEGISE_TASK_STALE_MINUTES`` goes back to READY for any worker to take.

An RQ worker does keep a heartbeat. When it stops (the worker was killed), RQ takes the
job for abandoned and moves it to its failed registry, where nothing runs it again: an
email task killed before it claimed its email would never send it. So the tick also has
RQ look for abandoned jobs and queues each one again, until its workers have abandoned it
``ABANDONED_AT_MOST`` times (a job that kills its worker every time is then left failed,
and logged once as an error).

Both are safe because every task is idempotent (docs/tasks.md) and an email goes at most
once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import task_backends
from django.tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# How many times an RQ job's workers may abandon it before it is left failed.
ABANDONED_AT_MOST = 3
# Marks such a job, so that it is reported once.
LEFT_FAILED = "strategise_left_failed"


def stale_tasks_requeue(*, now: datetime, stale_after: timedelta | None = None) -> list[str]:
    """Queue again each database task left RUNNING since before ``now - stale_after``, and
    each RQ job whose worker stopped before ``now`` while running it.

    Returns their ids.
    """
    requeued: list[str] = []
    for alias in settings.TASKS:
        backend = task_backends[alias]
        if type(backend).__name__ == "RQBackend":
            requeued += _rq_abandoned_requeue(backend.queues, now=now)
    aliases = [
        alias for alias in settings.TASKS if isinstance(task_backends[alias], DatabaseBackend)
    ]
    if not aliases:
        return requeued
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
    return requeued + [str(result.id) for result in stale]


def _abandoned(result: object) -> bool:
    return "AbandonedJobError" in (getattr(result, "exc_string", None) or "")


def _rq_abandoned_requeue(queue_names: Iterable[str], *, now: datetime) -> list[str]:
    """Have RQ move the jobs whose worker's heartbeat stopped before ``now`` to its failed
    registry, then queue again each job there that failed only by being abandoned."""
    # Only with the RQ backend, whose settings add these apps.
    import django_rq
    from django_tasks_rq.backend import Job
    from rq.exceptions import InvalidJobOperation, NoSuchJobError
    from rq.registry import FailedJobRegistry, StartedJobRegistry

    requeued: list[str] = []
    for name in queue_names:
        queue = django_rq.get_queue(name, job_class=Job)
        StartedJobRegistry(queue=queue, job_class=Job).cleanup(timestamp=now.timestamp())
        failed = FailedJobRegistry(queue=queue, job_class=Job)
        for job_id in failed.get_job_ids():
            try:
                job = Job.fetch(job_id, connection=queue.connection)
            except NoSuchJobError:
                continue
            results = job.results()
            if not results or not _abandoned(results[0]):
                continue  # it failed for a reason of its own: that is for a person to see
            times = sum(_abandoned(result) for result in results)
            if times >= ABANDONED_AT_MOST:
                if not job.meta.get(LEFT_FAILED):
                    logger.error(
                        "Task %s (%s) was abandoned by its worker %s times: left failed",
                        job.id,
                        job.func_name,
                        times,
                    )
                    job.meta[LEFT_FAILED] = True
                    job.save_meta()
                continue
            try:
                failed.requeue(job)
            except InvalidJobOperation:
                continue  # another tick queued it first
            logger.warning(
                "Task %s (%s) was abandoned by its worker: queued again", job.id, job.func_name
            )
            requeued.append(job.id)
    return requeued
