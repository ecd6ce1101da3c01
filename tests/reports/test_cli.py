"""``strategise export cin-census|annex-a --from --to [--authority]``."""

from __future__ import annotations

import csv
import io
from xml.etree import ElementTree as ET

import pytest

from strategise.audit.models import AuditEvent
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
    assert message.findtext("Header/CollectionDetails/ReferenceDate") == "2026-04-30"
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


def test_a_missing_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["export", "annex-a", "--from", "2026-04-01"])
    assert exit_.value.code == 2
    assert "the following arguments are required: --to" in capsys.readouterr().err


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
