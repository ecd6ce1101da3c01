"""The restore drill (docs/deploy.md, "Backups"): back up while records are being written,
restore into a new database, and find the audit chain intact and every row there.

On SQLite in the normal suite; on PostgreSQL when DATABASE_URL is a PostgreSQL URL, as in
``.ci/run``'s second pass.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from strategise.operations.backup import Snapshot, counts_path
from tests.deploy.support import ROOT, database_url, manage, run_python

STRATEGISE = Path(sys.executable).with_name("strategise")


def _drill(database_url: str, backup: Path) -> dict[str, int]:
    result = run_python(
        ["-m", "tests.deploy.backup_drill", str(backup)],
        {"DJANGO_DEBUG": "1", "DATABASE_URL": database_url},
        ROOT,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    written: dict[str, int] = json.loads(result.stdout.strip().splitlines()[-1])
    return written


def _restore_and_verify(backup: Path, target_url: str, cwd: Path) -> Snapshot:
    restored = manage(["restore", str(backup), "--into", target_url], {"DJANGO_DEBUG": "1"}, cwd)
    assert restored.returncode == 0, restored.stderr
    assert "every table has the rows the backup holds" in restored.stdout
    verified = run_python(
        [str(STRATEGISE), "audit", "verify"],
        {"DJANGO_DEBUG": "1", "DATABASE_URL": target_url},
        cwd,
    )
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("Audit log intact:")
    return Snapshot.load(counts_path(backup))


def _check_snapshot(snapshot: Snapshot, written: dict[str, int]) -> None:
    """The snapshot is one moment: every child has its audit event, and it holds the
    children committed before the backup began, and none written after it ended."""
    children = snapshot.tables["cases_child"]
    assert written["started"] <= children <= written["ended"]
    assert snapshot.tables["audit_auditevent"] == children
    assert snapshot.tables["cases_household"] == children
    assert written["stopped"] > written["ended"], "the writer kept writing after the backup"
    assert written["children"] == written["stopped"]


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite drill; see below for PostgreSQL"
)
def test_sqlite_backup_under_writes_restores_whole(
    tmp_path: Path, migrated_sqlite: Callable[[str], Path]
) -> None:
    live = migrated_sqlite("live.sqlite3")
    backup = tmp_path / "backups" / "strategise.sqlite3"
    written = _drill(f"sqlite:///{live}", backup)
    restored = tmp_path / "restored.sqlite3"
    snapshot = _restore_and_verify(backup, f"sqlite:///{restored}", tmp_path)
    assert snapshot.vendor == "sqlite"
    _check_snapshot(snapshot, written)
    with sqlite3.connect(restored) as database:
        assert (
            database.execute("SELECT COUNT(*) FROM cases_child").fetchone()[0]
            == (snapshot.tables["cases_child"])
        )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the PostgreSQL drill needs DATABASE_URL to name a PostgreSQL server "
    "(.ci/run runs the suite again with one)",
)
def test_postgresql_backup_under_writes_restores_whole(tmp_path: Path) -> None:
    settings_dict = connection.settings_dict
    live = database_url(settings_dict, settings_dict["NAME"])
    target_name = f"{settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{target_name}"')
    try:
        backup = tmp_path / "strategise.dump"
        written = _drill(live, backup)
        assert backup.read_bytes().startswith(b"PGDMP"), "pg_dump's custom format"
        snapshot = _restore_and_verify(backup, database_url(settings_dict, target_name), tmp_path)
        assert snapshot.vendor == "postgresql"
        _check_snapshot(snapshot, written)
        with psycopg.connect(database_url(settings_dict, target_name)) as database:
            row = database.execute("SELECT COUNT(*) FROM cases_child").fetchone()
        assert row is not None and row[0] == snapshot.tables["cases_child"]
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target_name}" WITH (FORCE)')


def _restore(backup: Path, into: str) -> None:
    call_command("restore", str(backup), "--into", into)


def test_a_restore_into_a_database_that_has_tables_is_refused(tmp_path: Path) -> None:
    backup = tmp_path / "strategise.sqlite3"
    backup.write_bytes(b"")
    Snapshot(vendor="sqlite", taken_at="2026-03-04T10:00:00+00:00", tables={}).save(
        counts_path(backup)
    )
    occupied = tmp_path / "occupied.sqlite3"
    with sqlite3.connect(occupied) as database:
        database.execute("CREATE TABLE something (id INTEGER)")
    with pytest.raises(CommandError, match="occupied.sqlite3 already exists: restore into a new"):
        _restore(backup, f"sqlite:///{occupied}")


def test_a_restore_without_the_counts_says_what_is_missing(tmp_path: Path) -> None:
    backup = tmp_path / "strategise.dump"
    backup.write_bytes(b"PGDMP")
    with pytest.raises(CommandError, match=r"strategise\.dump\.counts\.json is missing"):
        _restore(backup, "postgres://localhost/new")


def test_a_restore_into_another_kind_of_database_is_refused(tmp_path: Path) -> None:
    backup = tmp_path / "strategise.dump"
    backup.write_bytes(b"PGDMP")
    Snapshot(vendor="postgresql", taken_at="2026-03-04T10:00:00+00:00", tables={}).save(
        counts_path(backup)
    )
    with pytest.raises(
        CommandError, match="The backup is of a postgresql database; restore it into the same kind"
    ):
        _restore(backup, f"sqlite:///{tmp_path / 'new.sqlite3'}")


def test_a_backup_never_overwrites_a_file(tmp_path: Path) -> None:
    existing = tmp_path / "strategise.sqlite3"
    existing.write_text("an older backup")
    with pytest.raises(CommandError, match="already exists: choose a new file for each backup"):
        call_command("backup", str(existing))
    assert existing.read_text() == "an older backup"


@pytest.mark.django_db
def test_a_backup_inside_a_transaction_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="run it outside a transaction"):
        call_command("backup", str(tmp_path / "strategise.backup"))
