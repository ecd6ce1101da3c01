"""The clock tick survives a database that drops away, and requeues abandoned tasks."""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError, connection
from django.tasks.base import TaskResultStatus
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from strategise.clocks.management.commands import clocks_tick as command
from strategise.clocks.tasks import clocks_tick
from strategise.operations.stale_tasks import stale_tasks_requeue
from tests.deploy.support import MANAGE, clean_environment, database_url

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _fail_once() -> Callable[..., Any]:
    failures: list[str] = []

    def wrapper(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        if not failures:
            failures.append(sql)
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, *args)

    return wrapper


def _stop_after(ticks: int, sleeps: list[int]) -> Callable[[int], None]:
    def sleep(seconds: int) -> None:
        sleeps.append(seconds)
        if len(sleeps) == ticks:
            raise KeyboardInterrupt

    return sleep


@override_settings(TASKS=DATABASE_TASKS)
def test_a_dropped_connection_is_logged_and_the_loop_carries_on(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    sleeps: list[int] = []
    reconnects: list[bool] = []
    monkeypatch.setattr("time.sleep", _stop_after(2, sleeps))
    monkeypatch.setattr(command, "_reconnect", lambda: reconnects.append(True))
    with (
        caplog.at_level(logging.ERROR, logger="strategise.clocks"),
        connection.execute_wrapper(_fail_once()),
        pytest.raises(KeyboardInterrupt),
    ):
        call_command("clocks_tick", "--every", "60")
    assert sleeps == [60, 60]
    assert reconnects == [True]
    [failure] = [record for record in caplog.records if record.name == "strategise.clocks"]
    assert failure.getMessage() == "The clock tick failed on the database; reconnecting"
    assert failure.exc_info is not None and isinstance(failure.exc_info[1], OperationalError)
    # The second tick enqueued its work: the tick, the digests and the webhooks' retries,
    # once each.
    paths = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths == [
        "strategise.clocks.tasks.clocks_tick",
        "strategise.clocks.tasks.digests_tick",
        "strategise.integrations.tasks.webhooks_tick",
    ]


def test_a_failure_of_something_else_is_logged_and_the_loop_carries_on(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def redis_away(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("Redis refused the connection")

    sleeps: list[int] = []
    monkeypatch.setattr("time.sleep", _stop_after(2, sleeps))
    monkeypatch.setattr(command, "stale_tasks_requeue", redis_away)
    with (
        caplog.at_level(logging.ERROR, logger="strategise.clocks"),
        pytest.raises(KeyboardInterrupt),
    ):
        call_command("clocks_tick", "--every", "30")
    assert sleeps == [30, 30]
    messages = [
        record.getMessage() for record in caplog.records if record.name == "strategise.clocks"
    ]
    assert messages == ["The clock tick failed; trying again in 30 seconds"] * 2


@override_settings(TASKS=DATABASE_TASKS)
def test_run_once_a_dropped_connection_is_an_error_naming_it() -> None:
    with (
        connection.execute_wrapper(_fail_once()),
        pytest.raises(CommandError, match="The clock tick failed: server closed the connection"),
    ):
        call_command("clocks_tick")


def _running_task(minutes_ago: int) -> DBTaskResult:
    with override_settings(TASKS=DATABASE_TASKS):
        result = clocks_tick.enqueue()
    task = DBTaskResult.objects.get(pk=result.id)
    task.claim("worker-that-died")
    DBTaskResult.objects.filter(pk=task.pk).update(
        started_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return task


@override_settings(TASKS=DATABASE_TASKS, STRATEGISE_TASK_STALE_MINUTES=15)
def test_a_task_running_too_long_is_queued_again(caplog: pytest.LogCaptureFixture) -> None:
    abandoned = _running_task(minutes_ago=16)
    busy = _running_task(minutes_ago=14)
    with caplog.at_level(logging.WARNING, logger="strategise.operations.stale_tasks"):
        assert stale_tasks_requeue(now=timezone.now()) == [str(abandoned.pk)]
    abandoned.refresh_from_db()
    busy.refresh_from_db()
    assert (abandoned.status, abandoned.started_at) == (TaskResultStatus.READY, None)
    assert abandoned.worker_ids == ["worker-that-died"]
    assert busy.status == TaskResultStatus.RUNNING
    assert "on worker worker-that-died, looks abandoned: queued again" in caplog.text


@override_settings(TASKS=DATABASE_TASKS, STRATEGISE_TASK_STALE_MINUTES=15)
def test_the_tick_queues_abandoned_tasks_again() -> None:
    abandoned = _running_task(minutes_ago=60)
    call_command("clocks_tick")
    abandoned.refresh_from_db()
    assert abandoned.status == TaskResultStatus.READY


def test_without_the_database_backend_there_is_nothing_to_recover() -> None:
    abandoned = _running_task(minutes_ago=60)
    assert stale_tasks_requeue(now=timezone.now()) == []
    abandoned.refresh_from_db()
    assert abandoned.status == TaskResultStatus.RUNNING


# --- a real tick, its connections cut by the database server ----------------------------


def _ticks() -> int:
    return DBTaskResult.objects.filter(task_path="strategise.clocks.tasks.clocks_tick").count()


def _wait_for_ticks(at_least: int, tick: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert tick.poll() is None, f"the tick stopped (exit {tick.returncode})"
        if _ticks() >= at_least:
            return
        time.sleep(0.25)
    raise AssertionError(f"not {at_least} ticks within 60 seconds")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="cutting a connection needs PostgreSQL's pg_terminate_backend "
    "(.ci/run runs the suite again with DATABASE_URL naming one)",
)
def test_the_tick_carries_on_after_the_server_cuts_its_connection(tmp_path: Path) -> None:
    settings_dict = connection.settings_dict
    env = {"DJANGO_DEBUG": "1", "DATABASE_URL": database_url(settings_dict, settings_dict["NAME"])}
    tick = subprocess.Popen(  # noqa: S603 - the test's own command line
        [sys.executable, str(MANAGE), "clocks_tick", "--every", "1"],
        env=clean_environment(env),
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for_ticks(1, tick)
        for _cut in range(2):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                assert cursor.fetchall(), "the tick held no connection to cut"
            # Two more ticks after the cut.
            _wait_for_ticks(_ticks() + 2, tick)
    finally:
        tick.terminate()
        _, stderr = tick.communicate(timeout=30)
    # Whether the next query failed (logged, then reconnected) or Django's health check
    # found the connection gone first, nothing but a database failure was logged.
    failures = [line for line in stderr.splitlines() if " ERROR " in line]
    assert all("failed on the database; reconnecting" in line for line in failures), stderr
