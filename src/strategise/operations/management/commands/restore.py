"""``manage.py restore FILE --into URL``: restore a backup into a new, empty database and
check that every table has the rows the backup holds (docs/deploy.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from strategise.operations.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore the backup FILE into the new, empty database at --into (a DATABASE_URL), "
        "then compare its rows per table with the backup's."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="a backup made by `manage.py backup`")
        parser.add_argument(
            "--into",
            required=True,
            metavar="DATABASE_URL",
            help="the new database, e.g. postgres://strategise@db/strategise_restored",
        )

    def handle(self, *args: Any, file: Path, into: str, **options: Any) -> None:
        try:
            differences = backup_restore(file, into)
        except BackupError as error:
            raise CommandError(str(error)) from error
        if differences:
            listed = "; ".join(
                f"{table}: {expected} in the backup, {'no table' if got is None else got} restored"
                for table, (expected, got) in sorted(differences.items())
            )
            raise CommandError(f"The restore does not match the backup: {listed}")
        self.stdout.write(
            f"Restored {file}: every table has the rows the backup holds. Now check the audit "
            "log there: DATABASE_URL=<the new database> strategise audit verify"
        )
