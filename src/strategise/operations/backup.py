"""Backing up the database while it is in use, and restoring a backup to a new database.

A backup is one consistent snapshot: on PostgreSQL, ``pg_dump -Fc`` of a snapshot that this
module's own transaction exports; on SQLite, the online backup API. Beside it goes
``<file>.counts.json``, the number of rows in each table of that same snapshot, so a
restore can prove it brought back everything the backup holds (docs/deploy.md, "Backups").
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
from django.db import connection, transaction
from django.utils import timezone


class BackupError(Exception):
    """A backup or restore that could not be done, with what to do about it."""


@dataclass(frozen=True)
class Snapshot:
    """What a backup holds: its database's kind, when it was taken, the rows per table."""

    vendor: str
    taken_at: str
    tables: dict[str, int]

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.__dict__, indent=2, sort_keys=True) + "\n")

    @classmethod
    def load(cls, path: Path) -> Snapshot:
        try:
            data = json.loads(path.read_text())
            return cls(vendor=data["vendor"], taken_at=data["taken_at"], tables=data["tables"])
        except FileNotFoundError:
            raise BackupError(
                f"{path} is missing: a backup made by `manage.py backup` has its row counts "
                "beside it, and the restore checks against them"
            ) from None
        except (ValueError, KeyError, TypeError) as error:
            raise BackupError(f"{path} is not a backup's row counts: {error}") from None


def counts_path(backup: Path) -> Path:
    """Where a backup's row counts are kept: beside it, ``<file>.counts.json``."""
    return backup.with_name(f"{backup.name}.counts.json")


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _count(cursor: Any, tables: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 - a quoted name
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: install PostgreSQL's client programs "
            "(on Debian, `apt-get install postgresql-client`) in the same major version as "
            "the server, or newer"
        )
    return found


def _libpq_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    options = {
        "PGHOST": settings_dict.get("HOST") or "",
        "PGPORT": str(settings_dict.get("PORT") or ""),
        "PGUSER": settings_dict.get("USER") or "",
        "PGPASSWORD": settings_dict.get("PASSWORD") or "",
        "PGDATABASE": settings_dict.get("NAME") or "",
    }
    return os.environ | {key: value for key, value in options.items() if value}


def backup_create(path: Path) -> Snapshot:
    """Back up the database the settings point at to ``path``, while it is in use."""
    if path.exists():
        raise BackupError(f"{path} already exists: choose a new file for each backup")
    if connection.in_atomic_block:
        raise BackupError("A backup takes its own snapshot: run it outside a transaction")
    path.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        snapshot = _backup_postgresql(path)
    elif connection.vendor == "sqlite":
        snapshot = _backup_sqlite(path)
    else:
        raise BackupError(f"Backups of {connection.vendor} databases are not supported")
    snapshot.save(counts_path(path))
    return snapshot


def _backup_postgresql(path: Path) -> Snapshot:
    pg_dump = _program("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        # One snapshot for the counts and the dump: pg_dump joins this transaction's.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]
        taken_at = timezone.now().isoformat()
        tables = _count(cursor, connection.introspection.table_names(cursor))
        result = subprocess.run(  # noqa: S603 - a fixed command line
            [pg_dump, "--format=custom", f"--snapshot={snapshot_id}", f"--file={path}"],
            env=_libpq_environment(connection.settings_dict),
            capture_output=True,
            text=True,
            check=False,
        )
    if result.returncode != 0:
        path.unlink(missing_ok=True)
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return Snapshot(vendor="postgresql", taken_at=taken_at, tables=tables)


def _backup_sqlite(path: Path) -> Snapshot:
    connection.ensure_connection()
    source = connection.connection
    target = sqlite3.connect(path)
    try:
        taken_at = timezone.now().isoformat()
        # One step (pages=-1) copies one consistent read of the database; writers carry on
        # in the write-ahead log meanwhile.
        source.backup(target, pages=-1)
        names = [
            row[0]
            for row in target.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        tables = _count(target.cursor(), names)
    finally:
        target.close()
    return Snapshot(vendor="sqlite", taken_at=taken_at, tables=tables)


def backup_restore(path: Path, target_url: str) -> dict[str, tuple[int, int | None]]:
    """Restore the backup at ``path`` into the new, empty database at ``target_url``.

    Returns the tables whose rows differ from the backup's counts (backup, restored):
    empty when the restore is complete.
    """
    snapshot = Snapshot.load(counts_path(path))
    if not path.is_file():
        raise BackupError(f"{path} is not a file: give the backup that `manage.py backup` made")
    try:
        target: dict[str, Any] = dict(dj_database_url.parse(target_url))
    except ValueError as error:
        raise BackupError(f"--into {target_url!r} is not a database URL: {error}") from None
    engine = target["ENGINE"].rsplit(".", 1)[-1]
    vendor = {"sqlite3": "sqlite", "postgresql_psycopg2": "postgresql"}.get(engine, engine)
    if vendor != snapshot.vendor:
        raise BackupError(
            f"The backup is of a {snapshot.vendor} database; restore it into the same kind, "
            f"not {vendor}"
        )
    if vendor == "postgresql":
        restored = _restore_postgresql(path, target, list(snapshot.tables))
    else:
        restored = _restore_sqlite(path, Path(target["NAME"]), list(snapshot.tables))
    return {
        table: (rows, restored.get(table))
        for table, rows in snapshot.tables.items()
        if restored.get(table) != rows
    }


def _restore_postgresql(path: Path, target: dict[str, Any], tables: list[str]) -> dict[str, int]:
    pg_restore = _program("pg_restore")
    environment = _libpq_environment(target)
    with psycopg.connect("", **_psycopg_options(target)) as database:
        present = database.execute(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
        if present and present[0]:
            raise BackupError(
                f"The database {target['NAME']} already has tables: restore into a new, empty "
                f"database (createdb {target['NAME']}_restored)"
            )
    result = subprocess.run(  # noqa: S603 - a fixed command line
        [
            pg_restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            f"--dbname={target['NAME']}",
            str(path),
        ],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
    with psycopg.connect("", **_psycopg_options(target)) as database:
        return _count(database.cursor(), _existing(database, tables))


def _psycopg_options(target: dict[str, Any]) -> dict[str, Any]:
    options = {
        "dbname": target.get("NAME"),
        "host": target.get("HOST"),
        "port": target.get("PORT"),
        "user": target.get("USER"),
        "password": target.get("PASSWORD"),
    }
    return {key: value for key, value in options.items() if value}


def _existing(database: psycopg.Connection[Any], tables: list[str]) -> list[str]:
    rows = database.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
    ).fetchall()
    present = {row[0] for row in rows}
    return [table for table in tables if table in present]


def _restore_sqlite(path: Path, target: Path, tables: list[str]) -> dict[str, int]:
    if target.exists() and target.stat().st_size:
        raise BackupError(f"{target} already exists: restore into a new file")
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    restored = sqlite3.connect(target)
    try:
        source.backup(restored, pages=-1)
        present = {
            row[0] for row in restored.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        return _count(restored.cursor(), [table for table in tables if table in present])
    finally:
        source.close()
        restored.close()
