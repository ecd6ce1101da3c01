"""With RQ (the production topology), a task whose worker died is queued again by the tick.

RQ notices a worker's heartbeat has stopped and moves its job to the failed registry,
where nothing would run it again. ``stale_tasks_requeue`` (the clock tick, every minute)
queues each such abandoned job again, until its workers have abandoned it
``ABANDONED_AT_MOST`` times, and leaves alone a job that failed for a reason of its own,
or whose worker is alive.

These need Redis: ``STRATEGISE_TEST_REDIS_URL`` (default database 12 on 127.0.0.1, which
they empty), or they are skipped.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from rq.executions import Execution
from rq.job import JobStatus
from rq.job_lifecycle import record_job_failure

from strategise.clocks.tasks import clocks_tick
from strategise.operations.stale_tasks import ABANDONED_AT_MOST, stale_tasks_requeue
from tests.deploy.support import MANAGE, ROOT, clean_environment, manage, run_python
from tests.deploy.test_worker_killed import SETUP

REDIS_URL = os.environ.get("STRATEGISE_TEST_REDIS_URL", "redis://127.0.0.1:6379/12")
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
LATER = timedelta(hours=1)


@pytest.fixture
def empty_redis() -> Iterator[redis.Redis]:
    server = redis.Redis.from_url(REDIS_URL)
    try:
        server.ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis at {REDIS_URL}: {error}")
    server.flushdb()
    yield server
    server.flushdb()


@pytest.fixture
def on_rq(empty_redis: redis.Redis) -> Iterator[None]:
    with override_settings(TASKS=RQ_TASKS, RQ_QUEUES={"default": {"URL": REDIS_URL}}):
        yield


def _queue() -> Any:
    import django_rq
    from django_tasks_rq.backend import Job

    return django_rq.get_queue("default", job_class=Job)


def _taken_by_a_worker(job_id: str, heartbeat_seconds: int = 60) -> None:
    """What a worker does when it takes the job: off the queue, started, its heartbeat due
    within ``heartbeat_seconds``."""
    queue = _queue()
    job = queue.fetch_job(job_id)
    queue.remove(job)
    with queue.connection.pipeline() as pipeline:
        job.set_status(JobStatus.STARTED, pipeline=pipeline)
        Execution.create(job, ttl=heartbeat_seconds, pipeline=pipeline, worker_name="died")
        pipeline.execute()


def _status(job_id: str) -> JobStatus:
    status: JobStatus = _queue().fetch_job(job_id).get_status()
    return status


@pytest.mark.usefixtures("on_rq")
def test_a_job_whose_worker_died_is_queued_again(caplog: pytest.LogCaptureFixture) -> None:
    task = clocks_tick.enqueue()
    _taken_by_a_worker(task.id)
    with caplog.at_level(logging.WARNING, logger="strategise.operations.stale_tasks"):
        # Its heartbeat is not yet late: the worker may be alive.
        assert stale_tasks_requeue(now=timezone.now()) == []
        assert _status(task.id) == JobStatus.STARTED
        # An hour on, it is: RQ takes the job for abandoned, and the tick queues it again.
        assert stale_tasks_requeue(now=timezone.now() + LATER) == [task.id]
    assert _status(task.id) == JobStatus.QUEUED
    assert _queue().job_ids == [task.id]
    assert "clocks_tick) was abandoned by its worker: queued again" in caplog.text
    # Queued once: a second look finds nothing to do.
    assert stale_tasks_requeue(now=timezone.now() + LATER) == []
    assert _queue().job_ids == [task.id]


@pytest.mark.usefixtures("on_rq")
def test_a_job_that_failed_by_itself_is_left_for_a_person(empty_redis: redis.Redis) -> None:
    task = clocks_tick.enqueue()
    queue = _queue()
    job = queue.fetch_job(task.id)
    queue.remove(job)
    with empty_redis.pipeline() as pipeline:
        record_job_failure(job, "Traceback ...\nValueError: not a date", pipeline)
        pipeline.execute()
    assert stale_tasks_requeue(now=timezone.now() + LATER) == []
    assert _status(task.id) == JobStatus.FAILED


@pytest.mark.usefixtures("on_rq")
def test_a_job_abandoned_again_and_again_is_left_failed_and_said_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    task = clocks_tick.enqueue()
    later = timezone.now() + LATER
    for _ in range(ABANDONED_AT_MOST - 1):
        _taken_by_a_worker(task.id)
        assert stale_tasks_requeue(now=later) == [task.id]
    _taken_by_a_worker(task.id)
    with caplog.at_level(logging.ERROR, logger="strategise.operations.stale_tasks"):
        assert stale_tasks_requeue(now=later) == []
        assert stale_tasks_requeue(now=later) == []
    assert _status(task.id) == JobStatus.FAILED
    errors = [
        record.getMessage()
        for record in caplog.records
        if record.name == "strategise.operations.stale_tasks" and record.levelno >= logging.ERROR
    ]
    assert errors == [
        f"Task {task.id} (strategise.clocks.tasks.clocks_tick) was abandoned by its worker "
        f"{ABANDONED_AT_MOST} times: left failed"
    ]


# --- a real RQ worker, killed while it sends an email ------------------------------------

STATE = """
import django, json, sys
django.setup()
from django.tasks import default_task_backend
from strategise.notifications.models import Notification
from strategise.notifications.tasks import notification_email_send
import django_rq
from django_tasks_rq.backend import Job
queue = django_rq.get_queue("default", job_class=Job)
ids = (queue.started_job_registry.get_job_ids() + queue.finished_job_registry.get_job_ids()
       + queue.failed_job_registry.get_job_ids() + queue.job_ids)
[job_id] = set(ids)
result = default_task_backend.get_result(job_id)
notification = Notification.objects.get(pk=int(sys.argv[1]))
# The latest run's (django-tasks-rq's result takes the first run's).
latest = queue.fetch_job(job_id).latest_result()
print(json.dumps({"status": result.status,
                  "return_value": latest.return_value if latest else None,
                  "claimed": notification.email_claimed_at is not None,
                  "emailed": notification.emailed_at is not None}))
"""

RECOVER = """
import django, json
django.setup()
from datetime import timedelta
from django.utils import timezone
from strategise.operations.stale_tasks import stale_tasks_requeue
# An hour on: the killed worker's heartbeat is long overdue.
print(json.dumps(stale_tasks_requeue(now=timezone.now() + timedelta(hours=1))))
"""


def _mail(mailbox: Path) -> list[dict[str, object]]:
    if not mailbox.exists():
        return []
    return [json.loads(line) for line in mailbox.read_text().splitlines()]


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="runs in the SQLite pass: its worker has a database file of its own",
)
def test_an_rq_worker_killed_mid_send_is_recovered_without_a_second_email(
    tmp_path: Path, migrated_sqlite: Callable[[str], Path], empty_redis: redis.Redis
) -> None:
    mailbox = tmp_path / "mailbox.jsonl"
    env = {
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{migrated_sqlite('live.sqlite3')}",
        "DJANGO_TASKS_BACKEND": "django_tasks_rq.RQBackend",
        "REDIS_URL": REDIS_URL,
        "DJANGO_EMAIL_BACKEND": "tests.deploy.mailbox.EmailBackend",
        "STRATEGISE_TEST_MAILBOX": str(mailbox),
    }
    made = run_python(["-c", SETUP], env, ROOT)
    assert made.returncode == 0, made.stderr
    notification_pk = made.stdout.split()[-1]
    worker_command = [
        sys.executable,
        str(MANAGE),
        "rqworker",
        "--job-class",
        "django_tasks_rq.Job",
        "default",
    ]
    worker = subprocess.Popen(  # noqa: S603 - the test's own command line
        worker_command,
        env=clean_environment(env | {"STRATEGISE_TEST_MAIL_STALL": "1"}),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not _mail(mailbox) and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.2)
        assert len(_mail(mailbox)) == 1, "the worker did not reach the send"
        # The worker and the work-horse it forked for the job, at once.
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=30)

    def state() -> dict[str, object]:
        result = run_python(["-c", STATE, notification_pk], env, ROOT)
        assert result.returncode == 0, result.stderr
        answer: dict[str, object] = json.loads(result.stdout.splitlines()[-1])
        return answer

    # Killed mid-send: the job is left started, the email claimed but not marked sent.
    assert state() == {"status": "RUNNING", "return_value": None, "claimed": True, "emailed": False}
    recovered = run_python(["-c", RECOVER], env, ROOT)
    assert recovered.returncode == 0, recovered.stderr
    assert len(json.loads(recovered.stdout.splitlines()[-1])) == 1
    assert "was abandoned by its worker: queued again" in recovered.stderr
    ran = manage([*worker_command[2:], "--burst"], env, ROOT)
    assert ran.returncode == 0, ran.stderr
    # Run again, it finds the email claimed and sends nothing.
    assert state() == {
        "status": "SUCCESSFUL",
        "return_value": False,
        "claimed": True,
        "emailed": False,
    }
    [sent] = _mail(mailbox)
    assert sent["message_id"] == f"<notification-{notification_pk}@localhost>"
