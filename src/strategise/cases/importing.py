"""Importing children and adults from a case system's CSV export (docs/import.md).

Every row is checked as the forms check a record (``cases.services.child_problems``,
``cases.adults.adult_problems``, the NHS number's check digit and the UPN's check letter),
and every problem is reported with its row number (the spreadsheet's: the header is row 1)
and its column. Nothing is written unless every row is good; then everything is written in
one transaction, each record audited as the forms' are, and the import as a whole
(``people-import``: the file, its SHA-256, the counts). A dry run checks and writes nothing
but, when a user asks for it, its audit event (``people-import-check``): it tells whether
references are recorded already.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import models, transaction

from strategise.audit.services import audit_record
from strategise.cases.adults import ADULT_FIELDS, adult_problems, numbers_normalised
from strategise.cases.models import (
    CP_PLAN_CHOICES,
    EDUCATION_CHOICES,
    RELATIONSHIP_NAMES,
    Adult,
    Child,
    ChildAdultLink,
    Household,
)
from strategise.cases.services import CHILD_FIELDS, child_problems
from strategise.organisations.models import LocalAuthority, User
from strategise.policy import identifiers

CHILD = "child"
ADULT = "adult"
TYPE = "type"

CHILD_COLUMNS = (
    *CHILD_FIELDS,
    "former_names",
    "nhs_number",
    "upn",
    "police_reference",
)
ADULT_COLUMNS = ADULT_FIELDS
LINK_COLUMNS = ("child_reference", "relationship", "parental_responsibility", "same_household")
COLUMNS = tuple(dict.fromkeys((TYPE, *CHILD_COLUMNS, *ADULT_COLUMNS, *LINK_COLUMNS)))

IDENTIFIERS = {"nhs_number", "upn"}
DATE_COLUMNS = {"date_of_birth", "expected_date"}
YES_NO_COLUMNS = {
    "unborn",
    "interpreter_needed",
    "looked_after",
    "in_hospital",
    "care_and_support_needs",
    "works_with_children",
    "parental_responsibility",
    "same_household",
}
CHOICE_COLUMNS = {"education": dict(EDUCATION_CHOICES), "cp_plan": dict(CP_PLAN_CHOICES)}
DEFAULTS = {"education": "school", "cp_plan": "none"}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}, column {self.column}" if self.column else f"row {self.row}"
        return f"{where}: {self.message}"


@dataclass
class ImportReport:
    """What a file holds, what is wrong with it and, unless a dry run, what was written."""

    rows: int = 0
    children: int = 0
    adults: int = 0
    links: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    written: bool = False

    @property
    def good(self) -> bool:
        return not self.problems


@dataclass
class _Row:
    number: int
    kind: str
    values: dict[str, Any]
    link: dict[str, Any]


def _max_lengths(model: type[models.Model]) -> dict[str, int]:
    return {
        f.name: f.max_length
        for f in model._meta.get_fields()
        # A coded field's own check names the codes instead.
        if isinstance(f, models.CharField) and f.max_length and not f.choices
    }


def _parse_date(text: str) -> date:
    for form in DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            continue
    raise ValueError(text)


def _parse(number: int, raw: dict[str, str], problems: list[RowProblem]) -> _Row | None:
    def problem(column: str, message: str) -> None:
        problems.append(RowProblem(number, column, message))

    kind = raw.get(TYPE, "").strip().lower()
    if kind not in (CHILD, ADULT):
        problem(TYPE, f"Write ‘child’ or ‘adult’, not ‘{raw.get(TYPE, '')}’")
        return None
    allowed = CHILD_COLUMNS if kind == CHILD else (*ADULT_COLUMNS, *LINK_COLUMNS)
    lengths = _max_lengths(Child if kind == CHILD else Adult)
    values: dict[str, Any] = {}
    link: dict[str, Any] = {}
    for column in COLUMNS:
        text = (raw.get(column) or "").strip()
        if column == TYPE:
            continue
        if column not in allowed:
            if text:
                problem(
                    column,
                    f"A{'n' if kind == ADULT else ''} {kind} has no {column}: leave it empty",
                )
            continue
        target = link if column in LINK_COLUMNS else values
        if column in DATE_COLUMNS:
            if text:
                try:
                    target[column] = _parse_date(text)
                except ValueError:
                    problem(column, f"Write the date like 2015-03-31 or 31/03/2015, not ‘{text}’")
            else:
                target[column] = None
        elif column in YES_NO_COLUMNS:
            if text.lower() in YES:
                target[column] = True
            elif text.lower() in NO:
                target[column] = False
            else:
                problem(column, f"Write yes or no (or leave it empty for no), not ‘{text}’")
        elif column in CHOICE_COLUMNS:
            choices = CHOICE_COLUMNS[column]
            if text and text not in choices:
                problem(column, f"Write one of {', '.join(choices)}, not ‘{text}’")
            target[column] = text or DEFAULTS[column]
        else:
            # The identifiers' own checks say what is wrong with their length.
            if column not in IDENTIFIERS and column in lengths and len(text) > lengths[column]:
                problem(column, f"Must be {lengths[column]} characters or fewer")
            target[column] = text
    return _Row(number, kind, values, link)


def _record_problems(row: _Row, today: date) -> list[tuple[str | None, str]]:
    if row.kind == CHILD:
        errors: list[tuple[str | None, str]] = []
        for name, label in (("first_name", "first name"), ("last_name", "last name")):
            if not row.values.get(name):
                errors.append((name, f"Enter the child's {label}"))
        if not row.values.get("local_reference"):
            errors.append(("local_reference", "Enter the child's reference in the case system"))
        # The NHS number's check digit and the UPN's check letter are among them.
        return errors + child_problems(row.values, today)
    errors = adult_problems(row.values, today)
    reference = row.link.get("child_reference", "")
    relationship = row.link.get("relationship", "")
    if reference and relationship not in RELATIONSHIP_NAMES:
        errors.append(
            ("relationship", f"Write one of {', '.join(RELATIONSHIP_NAMES)}, not ‘{relationship}’")
        )
    if relationship and not reference:
        errors.append(("child_reference", "Enter the reference of the child they are related to"))
    return errors


def _order(column: str) -> int:
    return COLUMNS.index(column) if column in COLUMNS else -1


def rows_read(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """The file's header and rows (a byte-order mark, as Excel writes, is skipped)."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = header
    return header, [dict(row) for row in reader]


def people_import(
    *,
    authority: LocalAuthority,
    text: str,
    today: date,
    dry_run: bool,
    user: User | None = None,
    source: str = "",
) -> ImportReport:
    """Check every row of a CSV export and, unless ``dry_run`` or any row has a problem,
    write every child, adult and link in one transaction."""
    report = ImportReport()
    header, raw_rows = rows_read(text)
    unknown = [name for name in header if name not in COLUMNS]
    for name in unknown:
        report.problems.append(
            RowProblem(1, name, "Strategise has no such column (docs/import.md lists them)")
        )
    if TYPE not in header:
        report.problems.append(RowProblem(1, TYPE, "The file needs a ‘type’ column"))
    if report.problems:
        return report
    rows: list[_Row] = []
    for number, raw in enumerate(raw_rows, start=2):
        if None in raw:
            report.problems.append(
                RowProblem(number, "", "This row has more values than the header has columns")
            )
            continue
        if not any((value or "").strip() for value in raw.values()):
            continue
        parsed = _parse(number, raw, report.problems)
        if parsed is None:
            continue
        for column, message in _record_problems(parsed, today):
            report.problems.append(RowProblem(number, column or "", message))
        rows.append(parsed)
    report.rows = len(rows)
    _check_references(authority, rows, report.problems)
    report.problems.sort(
        key=lambda p: (p.row, COLUMNS.index(p.column) if p.column in COLUMNS else -1)
    )
    report.children = sum(row.kind == CHILD for row in rows)
    report.adults = sum(row.kind == ADULT for row in rows)
    report.links = sum(row.kind == ADULT and bool(row.link.get("child_reference")) for row in rows)
    summary = {
        "import": source or "csv",
        "sha256": hashlib.sha256(text.encode()).hexdigest(),
        "rows": report.rows,
        "children": report.children,
        "adults": report.adults,
        "links": report.links,
        "problems": len(report.problems),
    }
    if report.problems or dry_run:
        if user is not None:
            with transaction.atomic(durable=True):
                audit_record(
                    user=user,
                    action="people-import-check",
                    object_type=Child._meta.label,
                    authority=authority,
                    detail=summary,
                )
        return report
    _write(authority, rows, user=user, source=source, summary=summary)
    report.written = True
    return report


def _check_references(
    authority: LocalAuthority, rows: Iterable[_Row], problems: list[RowProblem]
) -> None:
    """A child's reference once in the file and not already recorded; an adult's child
    one the file or the authority has."""
    children = [row for row in rows if row.kind == CHILD]
    adults = [row for row in rows if row.kind == ADULT]
    references = [row.values.get("local_reference", "") for row in children]
    recorded = set(
        Child.objects.filter(local_authority=authority, local_reference__in=references).values_list(
            "local_reference", flat=True
        )
    )
    seen: dict[str, int] = {}
    for row in children:
        reference = row.values.get("local_reference", "")
        if not reference:
            continue
        if reference in recorded:
            problems.append(
                RowProblem(
                    row.number,
                    "local_reference",
                    f"A child with the reference {reference} is already recorded: "
                    "take the row out, or change it in Strategise",
                )
            )
        elif reference in seen:
            problems.append(
                RowProblem(
                    row.number,
                    "local_reference",
                    f"The reference {reference} is on row {seen[reference]} too",
                )
            )
        else:
            seen[reference] = row.number
    wanted = {row.link.get("child_reference", "") for row in adults} - set(seen) - {""}
    existing = set(
        Child.objects.filter(local_authority=authority, local_reference__in=wanted).values_list(
            "local_reference", flat=True
        )
    )
    for row in adults:
        reference = row.link.get("child_reference", "")
        if reference and reference not in seen and reference not in existing:
            problems.append(
                RowProblem(
                    row.number,
                    "child_reference",
                    f"No child with the reference {reference} is in the file or recorded",
                )
            )


def _write(
    authority: LocalAuthority,
    rows: list[_Row],
    *,
    user: User | None,
    source: str,
    summary: dict[str, Any],
) -> None:
    detail = {"import": source} if source else {"import": "csv"}
    with transaction.atomic(durable=True):
        by_reference: dict[str, Child] = {}
        for row in rows:
            if row.kind != CHILD:
                continue
            values = numbers_normalised(row.values)
            household = Household.objects.create(
                local_authority=authority, address=values.get("address", "")
            )
            child = Child.objects.create(
                local_authority=authority,
                household=household,
                **{name: values[name] for name in CHILD_COLUMNS if name in values},
            )
            by_reference[child.local_reference] = child
            audit_record(
                user=user,
                action="create",
                obj=child,
                children=[child.pk],
                authority=authority,
                detail=detail,
            )
        for row in rows:
            if row.kind != ADULT:
                continue
            values = dict(row.values)
            values["nhs_number"] = identifiers.nhs_number_normalised(values.get("nhs_number", ""))
            reference = row.link.get("child_reference", "")
            linked: Child | None = None
            if reference:
                linked = by_reference.get(reference) or Child.objects.get(
                    local_authority=authority, local_reference=reference
                )
            home: Household | None = None
            if linked is not None and row.link.get("same_household"):
                home = linked.household or Household.objects.create(
                    local_authority=authority, address=linked.address
                )
                if linked.household_id is None:
                    Child.objects.filter(pk=linked.pk).update(household=home)
                    linked.household = home
            adult = Adult.objects.create(
                local_authority=authority,
                household=home,
                **{name: values[name] for name in ADULT_COLUMNS if name in values},
            )
            if linked is not None:
                ChildAdultLink.objects.get_or_create(
                    child=linked,
                    adult=adult,
                    relationship=row.link["relationship"],
                    defaults={
                        "parental_responsibility": row.link.get("parental_responsibility", False)
                    },
                )
            audit_record(
                user=user,
                action="create",
                obj=adult,
                children=[linked.pk] if linked is not None else [],
                authority=authority,
                detail={**detail, "relationship": row.link.get("relationship", "")}
                if linked is not None
                else detail,
            )
        audit_record(
            user=user,
            action="people-import",
            object_type=Child._meta.label,
            children=sorted(child.pk for child in by_reference.values()),
            authority=authority,
            detail=summary,
        )
