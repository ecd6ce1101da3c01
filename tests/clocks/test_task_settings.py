"""Which task backend runs the background work: the database by default, RQ at scale."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from strategise.config import settings

PRINT = (
    "import json, strategise.config.settings as s; "
    "print(json.dumps([s.TASKS, s.INSTALLED_APPS[-2:], getattr(s, 'RQ_QUEUES', None), "
    "s.STRATEGISE_BASE_URL]))"
)


def _settings(env: dict[str, str], cwd: Path) -> list[object]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    clean.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-c", PRINT],
        env=clean | {"DJANGO_DEBUG": "1"} | env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    answer: list[object] = json.loads(result.stdout)
    return answer


def test_tasks_wait_in_the_database_by_default(tmp_path: Path) -> None:
    tasks, apps, queues, base_url = _settings({}, tmp_path)
    assert tasks == {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    assert "django_tasks_db" in settings.INSTALLED_APPS
    assert queues is None
    assert base_url == "http://127.0.0.1:8000"


def test_rq_and_redis_at_scale(tmp_path: Path) -> None:
    tasks, apps, queues, base_url = _settings(
        {
            "DJANGO_TASKS_BACKEND": "django_tasks_rq.RQBackend",
            "REDIS_URL": "redis://queue.internal:6379/2",
            "STRATEGISE_BASE_URL": "https://strategise.example.gov.uk/",
        },
        tmp_path,
    )
    assert tasks == {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    assert apps == ["django_rq", "django_tasks_rq"]
    assert queues == {"default": {"URL": "redis://queue.internal:6379/2"}}
    assert base_url == "https://strategise.example.gov.uk"
