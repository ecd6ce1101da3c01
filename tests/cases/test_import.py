"""Importing children and adults from a case system's CSV export: every row checked as
the forms check a record, every problem listed by row and column, nothing written unless
every row is good, and what is written audited."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

import strategise.cases
from strategise.audit.models import AuditEvent
from strategise.cases.importing import COLUMNS, RowProblem, people_import
from strategise.cases.models import Adult, Child, ChildAdultLink
from strategise.organisations.models import LocalAuthority
from tests.factories import ChildFactory

TODAY = date(2026, 12, 1)
TEMPLATE = Path(strategise.cases.__file__).resolve().parent / "import-template.csv"
HEADER = (
    "type,first_name,last_name,date_of_birth,local_reference,nhs_number,upn,sex,"
    "child_reference,relationship,same_household\n"
)

GOOD = HEADER + (
    "child,Amara,Okafor,2016-04-12,MOS0001,943 476 5919,L201234567890,F,,,\n"
    "adult,Grace,Okafor,30/01/1988,,,,,MOS0001,parent,yes\n"
)
BAD = HEADER + (
    # Row 2: good.
    "child,Amara,Okafor,2016-04-12,MOS0001,9434765919,,F,,,\n"
    # Row 3: a mistyped NHS number, a UPN whose check letter is wrong, a sex not a code.
    "child,Leo,Okafor,2019-09-08,MOS0002,9434765918,A201234567890,boy,,,\n"
    # Row 4: a date that is not one, and the same reference as row 2.
    "child,Zoe,Okafor,31/02/2019,MOS0001,,,,,,\n"
    # Row 5: no reference, no last name, born in the future.
    "child,Ben,,2027-01-01,,,,,,,\n"
    # Row 6: an adult with a UPN, linked to a child nowhere, by no known relationship.
    "adult,Daniel,Reid,1985-06-02,,,L201234567890,,MOS9999,uncle,no\n"
    # Row 7: neither child nor adult.
    "dog,Rex,,,,,,,,,\n"
)


def test_the_template_imports(authority: LocalAuthority) -> None:
    report = people_import(
        authority=authority, text=TEMPLATE.read_text("utf-8-sig"), today=TODAY, dry_run=False
    )
    assert report.problems == []
    assert (report.rows, report.children, report.adults, report.links) == (4, 2, 2, 2)
    assert set(Child.objects.values_list("local_reference", flat=True)) == {"MOS0001", "MOS0002"}


def test_a_good_file_is_written_linked_and_audited(authority: LocalAuthority) -> None:
    report = people_import(
        authority=authority, text=GOOD, today=TODAY, dry_run=False, source="export.csv"
    )
    assert report.written and report.good
    child = Child.objects.get()
    assert (child.nhs_number, child.upn, child.sex) == ("9434765919", "L201234567890", "F")
    assert child.local_authority == authority and child.household is not None
    adult = Adult.objects.get()
    assert adult.date_of_birth == date(1988, 1, 30)
    assert adult.household == child.household
    link = ChildAdultLink.objects.get()
    assert (link.child, link.adult, link.relationship) == (child, adult, "parent")
    events = AuditEvent.objects.filter(action="create").order_by("pk")
    assert [(e.object_type, e.child_ids, e.detail["import"]) for e in events] == [
        ("cases.Child", [child.pk], "export.csv"),
        ("cases.Adult", [child.pk], "export.csv"),
    ]
    assert {e.local_authority_id for e in events} == {authority.pk}


def test_a_dry_run_of_a_file_with_bad_rows_lists_each_problem_and_writes_nothing(
    authority: LocalAuthority,
) -> None:
    report = people_import(authority=authority, text=BAD, today=TODAY, dry_run=True)
    found = [(p.row, p.column) for p in report.problems]
    assert found == [
        (3, "sex"),
        (3, "nhs_number"),
        (3, "upn"),
        (4, "date_of_birth"),
        (4, "local_reference"),
        (5, "last_name"),
        (5, "date_of_birth"),
        (5, "local_reference"),
        (6, "upn"),
        (6, "child_reference"),
        (6, "relationship"),
        (7, "type"),
    ]
    said = {(p.row, p.column): p.message for p in report.problems}
    assert "is not a real NHS number" in said[3, "nhs_number"]
    assert "check letter does not match" in said[3, "upn"]
    assert "‘31/02/2019’" in said[4, "date_of_birth"]
    assert "on row 2 too" in said[4, "local_reference"]
    assert "today or in the past" in said[5, "date_of_birth"]
    assert "An adult has no upn" in said[6, "upn"]
    assert "No child with the reference MOS9999" in said[6, "child_reference"]
    assert "uncle" in said[6, "relationship"]
    assert str(report.problems[0]) == "row 3, column sex: Select the child's sex from the list"
    assert not report.written
    assert not Child.objects.exists() and not Adult.objects.exists()


def test_one_bad_row_stops_the_whole_file(authority: LocalAuthority) -> None:
    text = GOOD + "child,Leo,Okafor,2019-09-08,MOS0002,1234567890,,M,,,\n"
    report = people_import(authority=authority, text=text, today=TODAY, dry_run=False)
    assert report.problems == [
        RowProblem(
            4,
            "nhs_number",
            "The NHS number is not a real NHS number: check each digit "
            "(its last digit does not match)",
        )
    ]
    assert not report.written
    assert not Child.objects.exists() and not Adult.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_a_child_already_recorded_is_not_imported_twice(authority: LocalAuthority) -> None:
    ChildFactory.create(local_authority=authority, local_reference="MOS0001")
    report = people_import(authority=authority, text=GOOD, today=TODAY, dry_run=False)
    assert [(p.row, p.column) for p in report.problems] == [(2, "local_reference")]
    assert "already recorded" in report.problems[0].message


def test_an_adult_may_be_linked_to_a_child_already_recorded(authority: LocalAuthority) -> None:
    child = ChildFactory.create(local_authority=authority, local_reference="MOS0001")
    text = HEADER + "adult,Grace,Okafor,,,,,,MOS0001,carer,no\n"
    report = people_import(authority=authority, text=text, today=TODAY, dry_run=False)
    assert report.good
    assert ChildAdultLink.objects.get().child == child


def test_unknown_columns_and_no_type_are_problems_of_the_header(authority: LocalAuthority) -> None:
    report = people_import(
        authority=authority, text="first_name,surname\nAmara,Okafor\n", today=TODAY, dry_run=True
    )
    assert [(p.row, p.column) for p in report.problems] == [(1, "surname"), (1, "type")]


def test_the_docs_list_every_column() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "import.md").read_text()
    header = TEMPLATE.read_text("utf-8-sig").splitlines()[0].split(",")
    assert set(header) == set(COLUMNS)
    assert [column for column in COLUMNS if f"`{column}`" not in docs] == []


def test_the_command_dry_run_and_import(
    authority: LocalAuthority, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, encoding="utf-8")
    with pytest.raises(CommandError, match="12 problems in bad.csv .*nothing was imported"):
        call_command("import_people", "--authority", "sandwell", str(bad), "--dry-run")
    assert "row 3, column nhs_number: The NHS number is not a real" in capsys.readouterr().out
    good = tmp_path / "good.csv"
    good.write_text("\ufeff" + GOOD, encoding="utf-8")
    call_command("import_people", "--authority", "sandwell", str(good), "--dry-run")
    assert "nothing written (a dry run)" in capsys.readouterr().out
    assert not Child.objects.exists()
    call_command("import_people", "--authority", "sandwell", str(good))
    assert "Imported 2 rows: 1 children, 1 adults, 1 links" in capsys.readouterr().out
    assert Child.objects.count() == 1
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_people", "--authority", "sandwell", str(tmp_path / "none.csv"))
