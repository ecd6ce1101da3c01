"""Running Strategise's own commands in a clean environment, as a deployment would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
MANAGE = ROOT / "manage.py"


def clean_environment(env: dict[str, str]) -> dict[str, str]:
    """This process's environment without any setting of Strategise's, plus ``env``."""
    names = ("DJANGO_", "EMAIL_", "STRATEGISE_", "REDIS_URL", "DATABASE_URL")
    kept = {key: value for key, value in os.environ.items() if not key.startswith(names)}
    production = {"PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "strategise.config.settings"}
    return kept | production | env


def run_python(
    arguments: list[str], env: dict[str, str], cwd: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``python ARGUMENTS`` with only ``env``'s settings; never raises on failure."""
    return subprocess.run(  # noqa: S603 - the test's own command lines
        [sys.executable, *arguments],
        env=clean_environment(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


def manage(
    arguments: list[str], env: dict[str, str], cwd: Path, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``manage.py ARGUMENTS`` with only ``env``'s settings."""
    return run_python([str(MANAGE), *arguments], env, cwd, timeout)


def database_url(settings_dict: dict[str, Any], name: str) -> str:
    """The URL of the PostgreSQL database ``name`` on the server ``settings_dict`` uses."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password, safe='')}" if password else user
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{credentials}@{host}:{port}/{name}"
