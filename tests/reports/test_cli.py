"""``strategise export cin-census|annex-a --from --to [--authority]``."""

from __future__ import annotations

import csv
import io
from xml.etree import ElementTree as ET

import pytest

from strategise.audit.models import AuditEvent
from strategise.cases.models import Child
from strategise.cli import main
from strategise.clocks.models import ClockState
from strategise.organisations.models import LocalAuthority, User
from tests.factories import LocalAuthorityFactory
from tests.reports.columns import ANNEX_A_COLUMNS
from tests.reports.support import at, clock_row, decision_row, held_discussion

APRIL = ["--from", "2026-04-01", "--to", "2026-04-30"]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def enquiry(authority: LocalAuthority, social_worker: User, team_manager: User) -> None:
    """A joint section 47 enquiry decided on 1 April 2026; its ICPC held on 17 April."""
    discussion = held_discussion(authority, social_worker, team_manager, at(1))
    decision_row(discussion, discussion.request.children.get(), "s47_joint", ("recommend_icpc",))
    clock_row(discussion, "icpc_held", at(24, 23, 59), ClockState.MET, at(17))


@pytest.mark.django_db
def test_cin_census_goes_to_standard_output(
    capsys: pytest.CaptureFixture[str], enquiry: None
) -> None:
    status, out, err = _run(capsys, "export", "cin-census", *APRIL)
    assert (status, err) == (0, "")
    message = ET.fromstring(out.encode())  # noqa: S314 - our own XML, made in this test
    # April 2026 is in census year 2027: its reference date is 31 March 2027.
    assert message.findtext("Header/CollectionDetails/ReferenceDate") == "2027-03-31"
    section_47 = message.find("Children/Child/CINdetails/Section47")
    assert section_47 is not None
    assert section_47.findtext("S47ActualStartDate") == "2026-04-01"
    assert section_47.findtext("InitialCPCtarget") == "2026-04-24"


@pytest.mark.django_db
def test_annex_a_goes_to_standard_output_and_is_audited(
    capsys: pytest.CaptureFixture[str], enquiry: None
) -> None:
    status, out, _ = _run(capsys, "export", "annex-a", *APRIL, "--authority", "sandwell")
    assert out.startswith("\ufeff"), "Excel reads UTF-8 only after a byte-order mark"
    rows = list(csv.reader(io.StringIO(out.removeprefix("\ufeff"))))
    assert status == 0
    assert tuple(rows[0]) == ANNEX_A_COLUMNS
    assert rows[1][6] == "01/04/2026"
    event = AuditEvent.objects.get(action="export-return")
    assert (event.user_id, event.detail["return"], len(event.child_ids)) == (None, "annex-a", 1)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--from", "2026-13-01", "--to", "2026-04-30"],
            "--from: must be a date written YYYY-MM-DD, like 2025-04-01 (got '2026-13-01')",
        ),
        (
            ["--from", "2026-04-01", "--to", "30/04/2026"],
            "--to: must be a date written YYYY-MM-DD, like 2025-04-01 (got '30/04/2026')",
        ),
        (
            ["--from", "2026-04-30", "--to", "2026-04-01"],
            "--to 2026-04-01 is before --from 2026-04-30: the period cannot end before it starts",
        ),
    ],
)
def test_a_bad_period_is_refused_before_the_database_is_touched(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    status, out, err = _run(capsys, "export", "cin-census", *argv)
    assert (status, out) == (2, "")
    assert err == f"strategise: {message}\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--from", "2026-04-01"],
            "give the census year with --year 2026, or the dates with --from and --to",
        ),
        ([], "give the census year with --year 2026, or the dates with --from and --to"),
        (
            ["--year", "2026", "--to", "2026-04-30"],
            "give either --year or --from and --to, not both",
        ),
        (["--year", "26"], "--year: must be a census year like 2026 (got '26')"),
        (["--year", "twenty"], "--year: must be a census year like 2026 (got 'twenty')"),
        # A 5,000-digit year is refused with the value cut short, never a traceback.
        (["--year", "9" * 5000], f"--year: must be a census year like 2026 (got '{'9' * 38}…)"),
    ],
)
def test_the_period_is_a_census_year_or_two_dates(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    status, out, err = _run(capsys, "export", "annex-a", *argv)
    assert (status, out) == (2, "")
    assert err == f"strategise: {message}\n"


@pytest.mark.django_db
def test_a_census_year_is_1_april_to_31_march(
    capsys: pytest.CaptureFixture[str],
    authority: LocalAuthority,
    social_worker: User,
    team_manager: User,
) -> None:
    """``--year 2026`` is 1 April 2025 to 31 March 2026: an enquiry on 31 March 2026 is in it,
    one on 1 April 2026 is not, and the header names 2026 and its reference date."""
    for day, month in ((31, 3), (1, 4)):
        discussion = held_discussion(authority, social_worker, team_manager, at(day, month=month))
        decision_row(discussion, discussion.request.children.get(), "s47_joint")
    status, out, err = _run(capsys, "export", "cin-census", "--year", "2026")
    assert (status, err) == (0, "")
    message = ET.fromstring(out.encode())  # noqa: S314 - our own XML, made in this test
    assert message.findtext("Header/CollectionDetails/Year") == "2026"
    assert message.findtext("Header/CollectionDetails/ReferenceDate") == "2026-03-31"
    starts = [start.text for start in message.iter("S47ActualStartDate")]
    assert starts == ["2026-03-31"]


@pytest.mark.django_db
def test_the_cin_census_across_two_census_years_is_refused(
    capsys: pytest.CaptureFixture[str], enquiry: None
) -> None:
    status, out, err = _run(
        capsys, "export", "cin-census", "--from", "2026-03-01", "--to", "2026-04-30"
    )
    assert (status, out) == (2, "")
    assert err == (
        "strategise: The CIN census is for one census year, 1 April to 31 March, and 1 March "
        "2026 to 30 April 2026 is in more than one: choose dates within one census year\n"
    )


@pytest.mark.django_db
def test_a_child_without_a_reference_is_named_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], enquiry: None
) -> None:
    child = Child.objects.get()
    Child.objects.filter(pk=child.pk).update(local_reference="")
    status, out, err = _run(capsys, "export", "annex-a", *APRIL)
    assert (status, out) == (2, "")
    assert err.startswith(
        f"strategise: The local case reference of {child.full_name} (child {child.pk}) is missing: "
    )


@pytest.mark.django_db
def test_with_several_authorities_one_must_be_named(
    capsys: pytest.CaptureFixture[str], authority: LocalAuthority
) -> None:
    LocalAuthorityFactory.create(slug="bristol", profile="bristol")
    status, out, err = _run(capsys, "export", "annex-a", *APRIL)
    assert (status, out) == (2, "")
    assert err == (
        "strategise: there are 2 authorities; choose one with --authority: bristol, sandwell\n"
    )


@pytest.mark.django_db
def test_an_unknown_authority_is_named_with_the_known_ones(
    capsys: pytest.CaptureFixture[str], authority: LocalAuthority
) -> None:
    status, _, err = _run(capsys, "export", "annex-a", *APRIL, "--authority", "wakefield")
    assert status == 2
    assert (
        err == "strategise: --authority: there is no authority 'wakefield'; there are: sandwell\n"
    )


@pytest.mark.django_db
def test_with_no_authorities_there_is_nothing_to_export(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(capsys, "export", "cin-census", *APRIL)
    assert status == 2
    assert err == "strategise: there are no local authorities in the database\n"
