"""Settings read from the environment, and the database they choose."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.management import call_command
from django.db import connection, connections

from strategise.config import settings as production_settings


def _import_settings(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-c", "import strategise.config.settings as s; print(s.DEBUG)"],
        env=clean | env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_refuses_to_start_without_a_secret_key_unless_debugging(tmp_path: Path) -> None:
    result = _import_settings({}, tmp_path)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_runs_with_a_development_key(tmp_path: Path) -> None:
    result = _import_settings({"DJANGO_DEBUG": "1"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_debug_must_be_a_yes_or_no(tmp_path: Path) -> None:
    result = _import_settings({"DJANGO_DEBUG": "maybe"}, tmp_path)
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_default_database_is_a_sqlite_file_under_var(tmp_path: Path) -> None:
    result = _import_settings({"DJANGO_DEBUG": "1"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var").is_dir()


def test_passwords_are_hashed_with_argon2_in_production() -> None:
    assert production_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("correct horse battery staple", hasher.salt())
    assert hasher.verify("correct horse battery staple", encoded)


def test_times_are_stored_in_utc_and_shown_in_london() -> None:
    assert settings.USE_TZ is True
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.LANGUAGE_CODE == "en-gb"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_sqlite_database_file_uses_write_ahead_logging(
    tmp_path: Path, django_db_blocker: Any
) -> None:
    # The test database lives in memory, where there is no log: open a file like it.
    default = connections["default"]
    database = dict(default.settings_dict, NAME=str(tmp_path / "strategise.sqlite3"))
    other = type(default)(database, alias="wal-check")
    with django_db_blocker.unblock():
        try:
            with other.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone()[0] == "wal"
        finally:
            other.close()


@pytest.mark.django_db
def test_database_keeps_what_is_written() -> None:
    User = get_user_model()
    User.objects.create_user(username="practitioner", password="a long test password")
    assert User.objects.get(username="practitioner").check_password("a long test password")


@pytest.mark.django_db
def test_every_model_change_has_a_migration() -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
