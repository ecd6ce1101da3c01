"""A real database worker killed while it sends an email: the task is recovered, and the
email is not sent a second time."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

from tests.deploy.support import MANAGE, ROOT, clean_environment, manage, run_python

SETUP = """
import django, json
django.setup()
from django.utils import timezone
from strategise.links import Target, TargetKind
from strategise.notifications.models import Kind
from strategise.notifications.services import notify
from tests.factories import UserFactory
user = UserFactory.create(email="practitioner@example.org")
notification = notify(user=user, kind=Kind.OVERDUE, text="Request 7 is overdue.",
                      target=Target(TargetKind.REQUEST, 7), dedupe_key="killed:1",
                      now=timezone.now())
print(notification.pk)
"""

STATE = """
import django, json, sys
django.setup()
from django_tasks_db.models import DBTaskResult
from strategise.notifications.models import Notification
task = DBTaskResult.objects.get(task_path__endswith="notification_email_send")
notification = Notification.objects.get(pk=int(sys.argv[1]))
print(json.dumps({"status": task.status, "return_value": task.return_value,
                  "workers": len(task.worker_ids),
                  "claimed": notification.email_claimed_at is not None,
                  "emailed": notification.emailed_at is not None}))
"""


def _mail(mailbox: Path) -> list[dict[str, object]]:
    if not mailbox.exists():
        return []
    return [json.loads(line) for line in mailbox.read_text().splitlines()]


@pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="runs in the SQLite pass: its worker has a database file of its own",
)
def test_a_worker_killed_mid_send_is_recovered_without_a_second_email(
    tmp_path: Path, migrated_sqlite: Callable[[str], Path]
) -> None:
    mailbox = tmp_path / "mailbox.jsonl"
    env = {
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{migrated_sqlite('live.sqlite3')}",
        "DJANGO_EMAIL_BACKEND": "tests.deploy.mailbox.EmailBackend",
        "STRATEGISE_TEST_MAILBOX": str(mailbox),
    }
    made = run_python(["-c", SETUP], env, ROOT)
    assert made.returncode == 0, made.stderr
    notification_pk = made.stdout.split()[-1]

    worker = subprocess.Popen(  # noqa: S603 - the test's own command line
        [sys.executable, str(MANAGE), "db_worker", "--no-reload", "--no-startup-delay"],
        env=clean_environment(env | {"STRATEGISE_TEST_MAIL_STALL": "1"}),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while not _mail(mailbox) and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.2)
        assert len(_mail(mailbox)) == 1, "the worker did not reach the send"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=30)

    def state() -> dict[str, object]:
        result = run_python(["-c", STATE, notification_pk], env, ROOT)
        assert result.returncode == 0, result.stderr
        answer: dict[str, object] = json.loads(result.stdout.splitlines()[-1])
        return answer

    # Killed mid-send: the task is left running, the email claimed but not marked sent.
    assert state() == {
        "status": "RUNNING",
        "return_value": None,
        "workers": 1,
        "claimed": True,
        "emailed": False,
    }
    # The tick finds the task abandoned and queues it again; a worker runs it.
    ticked = manage(["clocks_tick"], env | {"STRATEGISE_TASK_STALE_MINUTES": "0"}, ROOT)
    assert ticked.returncode == 0, ticked.stderr
    assert "looks abandoned: queued again" in ticked.stderr
    ran = manage(["db_worker", "--batch", "--no-reload", "--no-startup-delay"], env, ROOT)
    assert ran.returncode == 0, ran.stderr
    assert state() == {
        "status": "SUCCESSFUL",
        "return_value": False,
        "workers": 2,
        "claimed": True,
        "emailed": False,
    }
    [sent] = _mail(mailbox)
    assert sent["message_id"] == f"<notification-{notification_pk}@localhost>"


@pytest.mark.parametrize("stale_minutes", ["fifteen", "-1"])
def test_a_stale_task_timeout_that_is_not_a_whole_number_is_named(
    tmp_path: Path, stale_minutes: str
) -> None:
    result = run_python(
        ["-c", "import strategise.config.settings"],
        {"DJANGO_DEBUG": "1", "STRATEGISE_TASK_STALE_MINUTES": stale_minutes},
        tmp_path,
    )
    assert result.returncode != 0
    assert "STRATEGISE_TASK_STALE_MINUTES must be a whole number, 0 or more" in result.stderr
