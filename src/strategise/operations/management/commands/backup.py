"""``manage.py backup FILE``: back up the database while the service runs (docs/deploy.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from strategise.operations.backup import BackupError, backup_create, counts_path


class Command(BaseCommand):
    help = (
        "Back up the database to FILE (PostgreSQL: pg_dump -Fc; SQLite: the online backup), "
        "with the rows per table in FILE.counts.json."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="a new file for the backup")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            snapshot = backup_create(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(snapshot.tables.values())
        self.stdout.write(
            f"Backed up {len(snapshot.tables)} tables ({rows} rows) of the {snapshot.vendor} "
            f"database to {file}, taken at {snapshot.taken_at}; counts in {counts_path(file)}"
        )
