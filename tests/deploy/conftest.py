from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.deploy.support import manage


@pytest.fixture(scope="session")
def migrated_sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database file with every migration applied, made once per run."""
    folder = tmp_path_factory.mktemp("migrated")
    database = folder / "strategise.sqlite3"
    result = manage(
        ["migrate", "--no-input", "-v0"],
        {"DJANGO_DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}"},
        folder,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return database


@pytest.fixture
def migrated_sqlite(migrated_sqlite_template: Path, tmp_path: Path) -> Callable[[str], Path]:
    """Makes a fresh copy of the migrated database in this test's folder."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copyfile(migrated_sqlite_template, target)
        return target

    return copy
