"""The statutory returns: the CIN census's Section 47 module (XML) and Annex A (CSV).

The data set, in Sandwell (England and Wales bank holidays), for April 2026:

* Amara (C900001, girl, born 1 June 2015, "White British"): a joint section 47 enquiry with
  an ICPC recommended, decided at a discussion held Wednesday 1 April 2026; its ICPC was
  held Friday 17 April. That discussion was reconvened on 20 April and decided section 47
  again: the same enquiry continuing, not another. She also had an enquiry decided on
  10 September 2025, whose ICPC was held on 25 September 2025.
* Cara: no further action at Amara's discussion; not in the returns. (Had she had an
  enquiry, the conference held for that discussion would be hers too: a discussion's
  ``icpc_held`` clock is its family's conference.)
* Ben (no local reference, boy, "APKN"): a single-agency enquiry at another discussion on
  1 April, no ICPC recommended and none held, so no ICPC is required.
* An unborn baby, due 1 July 2026: an enquiry with an ICPC recommended, decided on
  Tuesday 14 April; no ICPC yet.
* Dev: an enquiry decided on 31 March 2026, before the period.

ICPC targets, 15 working days after the start (that day is day 0):
  1 April: 2 Apr (1), [3 Apr Good Friday, 6 Apr Easter Monday], 7-10 Apr (2-5),
           13-17 Apr (6-10), 20-24 Apr (11-15) -> Friday 24 April 2026.
  14 April: 15-17 Apr (1-3), 20-24 Apr (4-8), 27-30 Apr and 1 May (9-13),
           [4 May early May bank holiday], 5-6 May (14-15) -> Wednesday 6 May 2026.
In the year to 30 April 2026 Amara had 2 enquiries (September, April) and 2 ICPCs.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, datetime, timedelta
from xml.etree import ElementTree as ET

import pytest

from strategise.cases.models import Child
from strategise.clocks.models import ClockState
from strategise.discussions.models import Discussion
from strategise.organisations.models import LocalAuthority, Team, User
from strategise.policy import WorkingCalendar
from strategise.reports.exports import (
    annex_a_csv,
    annex_a_ethnicity,
    annex_a_gender,
    cin_census_xml,
    csv_cell,
    csv_text,
    ethnicity_code,
    sex_code,
)
from strategise.reports.returns import Section47Enquiry, section_47_enquiries
from tests.factories import ChildFactory
from tests.reports.columns import ANNEX_A_COLUMNS
from tests.reports.support import APRIL_2026, at, clock_row, decision_row, held_discussion

pytestmark = pytest.mark.django_db


@pytest.fixture
def enquiries(
    authority: LocalAuthority, social_worker: User, team_manager: User
) -> list[Section47Enquiry]:
    social_worker.team = Team.objects.create(
        agency=authority.agencies.get(kind="childrens_social_care"), name="Assessment team 1"
    )
    social_worker.save(update_fields=["team"])
    amara = ChildFactory.create(
        local_authority=authority,
        local_reference="C900001",
        first_name="Amara",
        gender="Female",
        ethnicity="White British",
        date_of_birth=date(2015, 6, 1),
        disability="",
    )
    ben = ChildFactory.create(
        local_authority=authority,
        local_reference="",
        first_name="Ben",
        gender="Male",
        ethnicity="APKN",
        date_of_birth=date(2017, 2, 3),
        disability="None",
    )
    cara = ChildFactory.create(local_authority=authority, first_name="Cara")
    baby = ChildFactory.create(
        local_authority=authority,
        unborn=True,
        date_of_birth=None,
        expected_date=date(2026, 7, 1),
        gender="",
        ethnicity="",
    )
    dev = ChildFactory.create(local_authority=authority, first_name="Dev")

    def held(
        when: datetime, children: list[Child], previous: Discussion | None = None
    ) -> Discussion:
        return held_discussion(
            authority, social_worker, team_manager, when, children=children, previous=previous
        )

    september = held(at(10, month=9, year=2025), [amara])
    decision_row(september, amara, "s47_joint", ("recommend_icpc",))
    clock_row(
        september,
        "icpc_held",
        at(1, 23, 59, month=10, year=2025),
        ClockState.MET,
        at(25, month=9, year=2025),
    )
    first = held(at(1, 10), [amara, cara])
    decision_row(first, amara, "s47_joint", ("recommend_icpc",))
    decision_row(first, cara, "nfa")
    bens = held(at(1, 15), [ben])
    decision_row(bens, ben, "s47_social_care")
    clock_row(bens, "icpc_held", at(24, 23, 59))
    clock_row(first, "icpc_held", at(24, 23, 59), ClockState.MET, at(17, 14))
    again = held(at(20, 10), [amara], previous=first)
    decision_row(again, amara, "s47_joint")
    unborn = held(at(14, 11), [baby])
    decision_row(unborn, baby, "s47_social_care", ("recommend_icpc",))
    clock_row(unborn, "icpc_held", at(6, 23, 59, month=5))
    march = held(at(31, 10, month=3), [dev])
    decision_row(march, dev, "s47_joint")
    return section_47_enquiries(authority=authority, period=APRIL_2026)


def test_one_enquiry_per_child_started_in_the_period(enquiries: list[Section47Enquiry]) -> None:
    amara, ben, baby = enquiries
    assert (amara.child_id, amara.started, amara.icpc_target, amara.icpc_date) == (
        "C900001",
        date(2026, 4, 1),
        date(2026, 4, 24),
        date(2026, 4, 17),
    )
    assert (amara.enquiries_last_12_months, amara.icpcs_last_12_months) == (2, 2)
    assert not amara.icpc_not_required
    assert ben.child_id == str(ben.child_pk)
    assert ben.icpc_not_required
    assert (baby.started, baby.icpc_target, baby.icpc_date) == (
        date(2026, 4, 14),
        date(2026, 5, 6),
        None,
    )
    assert not baby.icpc_not_required
    assert (amara.team, amara.worker) == ("Assessment team 1", ben.worker)


def _census(enquiries: list[Section47Enquiry]) -> ET.Element:
    """Parsed with the standard library: the XML is our own, made in this test."""
    return ET.fromstring(cin_census_xml(period=APRIL_2026, enquiries=enquiries))  # noqa: S314


def test_cin_census_is_well_formed_with_the_census_structure(
    enquiries: list[Section47Enquiry],
) -> None:
    message = _census(enquiries)
    assert message.tag == "Message"
    assert [child.tag for child in message] == ["Header", "Children"]
    details = message.find("Header/CollectionDetails")
    assert details is not None
    assert [(item.tag, item.text) for item in details] == [
        ("Collection", "CIN"),
        ("Year", "2026"),
        ("ReferenceDate", "2026-04-30"),
    ]
    children = message.findall("Children/Child")
    assert len(children) == 3
    for child in children:
        assert [part.tag for part in child] == [
            "ChildIdentifiers",
            "ChildCharacteristics",
            "CINdetails",
        ]
        for section_47 in child.findall("CINdetails/Section47"):
            tags = [item.tag for item in section_47]
            assert tags in (
                ["S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired"],
                ["S47ActualStartDate", "InitialCPCtarget", "ICPCnotRequired"],
            )


def _found(element: ET.Element, path: str) -> ET.Element:
    found = element.find(path)
    assert found is not None, path
    return found


def test_cin_census_values_child_by_child(enquiries: list[Section47Enquiry]) -> None:
    amara, ben, baby = _census(enquiries).findall("Children/Child")
    assert [(item.tag, item.text) for item in _found(amara, "ChildIdentifiers")] == [
        ("LAchildID", "C900001"),
        ("PersonBirthDate", "2015-06-01"),
        ("Sex", "F"),
    ]
    assert amara.findtext("ChildCharacteristics/Ethnicity") == "WBRI"
    assert [(item.tag, item.text) for item in _found(amara, "CINdetails/Section47")] == [
        ("S47ActualStartDate", "2026-04-01"),
        ("InitialCPCtarget", "2026-04-24"),
        ("DateOfInitialCPC", "2026-04-17"),
        ("ICPCnotRequired", "false"),
    ]
    assert len(amara.findall("CINdetails/Section47")) == 1  # 20 April continues it
    assert ben.findtext("ChildIdentifiers/Sex") == "M"
    assert ben.findtext("ChildCharacteristics/Ethnicity") == "APKN"
    assert ben.findtext("CINdetails/Section47/ICPCnotRequired") == "true"
    assert ben.find("CINdetails/Section47/DateOfInitialCPC") is None
    assert baby.find("ChildIdentifiers/PersonBirthDate") is None
    assert baby.findtext("ChildIdentifiers/ExpectedPersonBirthDate") == "2026-07-01"
    assert baby.findtext("ChildIdentifiers/Sex") == "U"
    assert baby.findtext("ChildCharacteristics/Ethnicity") == "NOBT"
    assert baby.findtext("CINdetails/Section47/ICPCnotRequired") == "false"


def _working_days_between(start: date, end: date) -> int:
    """Counted day by day, independently of ``add_working_days``."""
    calendar = WorkingCalendar("england_and_wales")
    days = (start + timedelta(days=n) for n in range(1, (end - start).days + 1))
    return sum(1 for day in days if calendar.is_working_day(day))


def test_cin_census_dates_are_consistent(enquiries: list[Section47Enquiry]) -> None:
    """Every target is exactly 15 working days after the start and on a working day, and an
    ICPC is on a weekday, on or after the start."""
    for section_47 in _census(enquiries).iter("Section47"):
        start = date.fromisoformat(section_47.findtext("S47ActualStartDate") or "")
        target = date.fromisoformat(section_47.findtext("InitialCPCtarget") or "")
        assert _working_days_between(start, target) == 15
        assert WorkingCalendar().is_working_day(target)
        held = section_47.findtext("DateOfInitialCPC")
        if held is not None:
            icpc = date.fromisoformat(held)
            assert icpc.weekday() < 5
            assert start <= icpc


def test_cin_census_with_no_enquiries_still_has_its_header() -> None:
    xml = cin_census_xml(period=APRIL_2026, enquiries=[])
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Message>')
    message = ET.fromstring(xml)  # noqa: S314
    assert message.findtext("Header/CollectionDetails/Collection") == "CIN"
    assert message.findall("Children/Child") == []


def test_annex_a_lists_each_enquiry_with_its_columns(enquiries: list[Section47Enquiry]) -> None:
    rows = list(csv.reader(io.StringIO(annex_a_csv(period=APRIL_2026, enquiries=enquiries))))
    assert tuple(rows[0]) == ANNEX_A_COLUMNS
    amara, ben, baby = rows[1:]
    assert amara == [
        "C900001",
        "b) Female",
        "a) WBRI",
        "01/06/2015",
        "10",
        "c) Unknown",
        "01/04/2026",
        "b) No",
        "17/04/2026",
        "",
        "2",
        "2",
        "Assessment team 1",
        amara[13],
    ]
    assert amara[13]
    assert ben[1:9] == [
        "a) Male",
        "k) APKN",
        "03/02/2017",
        "9",
        "b) No",
        "01/04/2026",
        "a) Yes",
        "",
    ]
    assert baby[3:5] == ["", ""]
    assert baby[7] == "b) No"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_a_spreadsheet_would_run_is_defused(start: str) -> None:
    assert csv_cell(f"{start}HYPERLINK(1)") == f"'{start}HYPERLINK(1)"


def test_ordinary_cells_are_left_alone() -> None:
    assert [csv_cell(value) for value in ("Police", 12, "50.0%", None, "a=b")] == [
        "Police",
        "12",
        "50.0%",
        "",
        "a=b",
    ]


def test_csv_quotes_every_cell_and_defuses_formulas() -> None:
    text = csv_text(("Name", "Count"), [('=cmd|"/c calc"!A1', 3), ("Smith, Jo", 4)])
    assert text.splitlines() == [
        '"Name","Count"',
        '"\'=cmd|""/c calc""!A1","3"',
        '"Smith, Jo","4"',
    ]


def test_annex_a_defuses_a_reference_that_looks_like_a_formula(
    enquiries: list[Section47Enquiry],
) -> None:
    hostile = replace(enquiries[0], child_id='=HYPERLINK("http://x")', worker="@SUM(A1)")
    rows = list(csv.reader(io.StringIO(annex_a_csv(period=APRIL_2026, enquiries=[hostile]))))
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    assert rows[1][13] == "'@SUM(A1)"


@pytest.mark.parametrize(
    ("recorded", "code", "annex"),
    [
        ("White British", "WBRI", "a) WBRI"),
        ("wbri", "WBRI", "a) WBRI"),
        (" Any other mixed background ", "MOTH", "i) MOTH"),
        ("Chinese", "CHNE", "q) CHNE"),
        ("", "NOBT", "t) NOBT"),
        ("Cornish", "NOBT", "t) NOBT"),
    ],
)
def test_ethnicity_codes(recorded: str, code: str, annex: str) -> None:
    assert ethnicity_code(recorded) == code
    assert annex_a_ethnicity(recorded) == annex


@pytest.mark.parametrize(
    ("recorded", "sex", "annex"),
    [
        ("Female", "F", "b) Female"),
        ("male", "M", "a) Male"),
        ("", "U", "c) Not stated/recorded"),
        ("Not known", "U", "c) Not stated/recorded"),
        ("Non-binary", "U", "d) Neither"),
    ],
)
def test_sex_and_gender(recorded: str, sex: str, annex: str) -> None:
    assert sex_code(recorded) == sex
    assert annex_a_gender(recorded) == annex
