"""``manage.py import_people --authority SLUG FILE.csv [--dry-run]``: children and adults
from a case system's CSV export (docs/import.md has the columns, cases/import-template.csv
a template).

Every row is checked first, as the forms check a record; every problem is listed with its
row and column, and then nothing is written. With ``--dry-run`` only the check is made.
The records written are audited, each as the forms' are, in one transaction.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from strategise.cases.importing import people_import
from strategise.organisations.management.authority import authority_named


class Command(BaseCommand):
    help = "Import children and adults from a CSV export (--dry-run checks only)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--authority", required=True, help="The authority's slug.")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check; write nothing.")

    def handle(self, *args: Any, authority: str, file: Path, dry_run: bool, **options: Any) -> None:
        found = authority_named(authority)
        try:
            text = file.read_text(encoding="utf-8-sig")
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} is not UTF-8 text: save it as CSV UTF-8") from None
        report = people_import(
            authority=found,
            text=text,
            today=timezone.localdate(),
            dry_run=dry_run,
            source=file.name,
        )
        for problem in report.problems:
            self.stdout.write(str(problem))
        summary = (
            f"{report.rows} rows: {report.children} children, {report.adults} adults, "
            f"{report.links} links to children"
        )
        if report.problems:
            raise CommandError(
                f"{len(report.problems)} problems in {file.name} ({summary}): nothing was imported"
            )
        if dry_run:
            self.stdout.write(f"{summary}. Every row is good; nothing written (a dry run)")
        else:
            self.stdout.write(f"Imported {summary}")
