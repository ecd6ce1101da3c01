"""The statutory returns: the CIN census's Section 47 module (XML) and Annex A (CSV).

The data set, in Sandwell (England and Wales bank holidays), for April 2026 (in census
year 2027: 1 April 2026 to 31 March 2027):

* Amara (C900001, female, born 1 June 2015, WBRI): a joint section 47 enquiry with an ICPC
  recommended, decided at a discussion held Wednesday 1 April 2026; her ICPC was held
  Friday 17 April. That discussion was reconvened on 20 April and decided section 47
  again: the same enquiry continuing, not another. She also had an enquiry decided on
  10 September 2025, whose ICPC was held on 25 September 2025.
* Efe (C900004, male, BAFR), her brother, at the same discussion: a single-agency enquiry
  with no ICPC recommended. The discussion's conference is Amara's, not his: no ICPC date,
  and no ICPC required.
* Cara: no further action at Amara's discussion; not in the returns.
* Ben (C900002, male, APKN): a single-agency enquiry at another discussion on 1 April, no
  ICPC recommended and none held, so no ICPC is required.
* An unborn baby (C900003, no sex or ethnicity recorded), due 1 July 2026: an enquiry with
  an ICPC recommended, decided on Tuesday 14 April; no ICPC yet.
* Dev: an enquiry decided on 31 March 2026, before the period.

ICPC targets, 15 working days after the start (that day is day 0):
  1 April: 2 Apr (1), [3 Apr Good Friday, 6 Apr Easter Monday], 7-10 Apr (2-5),
           13-17 Apr (6-10), 20-24 Apr (11-15) -> Friday 24 April 2026.
  14 April: 15-17 Apr (1-3), 20-24 Apr (4-8), 27-30 Apr and 1 May (9-13),
           [4 May early May bank holiday], 5-6 May (14-15) -> Wednesday 6 May 2026.
In the year to 30 April 2026 Amara had 2 enquiries (September, April) and 2 ICPCs; Efe had
1 enquiry and no ICPC.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from xml.etree import ElementTree as ET

import pytest

from strategise.audit.models import AuditEvent
from strategise.cases.models import Child
from strategise.clocks.models import ClockState
from strategise.discussions.models import Discussion
from strategise.organisations.models import LocalAuthority, Team, User
from strategise.policy import WorkingCalendar
from strategise.problems import Problem
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
from strategise.reports.period import Period
from strategise.reports.returns import (
    Section47Enquiry,
    census_year_of,
    returns_enquiries,
    section_47_enquiries,
)
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
        sex="F",
        ethnicity="WBRI",
        date_of_birth=date(2015, 6, 1),
        disability="",
    )
    ben = ChildFactory.create(
        local_authority=authority,
        local_reference="C900002",
        first_name="Ben",
        sex="M",
        ethnicity="APKN",
        date_of_birth=date(2017, 2, 3),
        disability="None",
    )
    cara = ChildFactory.create(local_authority=authority, first_name="Cara", local_reference="")
    efe = ChildFactory.create(
        local_authority=authority,
        local_reference="C900004",
        first_name="Efe",
        sex="M",
        ethnicity="BAFR",
        date_of_birth=date(2012, 1, 5),
    )
    baby = ChildFactory.create(
        local_authority=authority,
        local_reference="C900003",
        unborn=True,
        date_of_birth=None,
        expected_date=date(2026, 7, 1),
        sex="",
        ethnicity="",
    )
    dev = ChildFactory.create(local_authority=authority, first_name="Dev", local_reference="")

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
    first = held(at(1, 10), [amara, cara, efe])
    decision_row(first, amara, "s47_joint", ("recommend_icpc",))
    decision_row(first, cara, "nfa")
    decision_row(first, efe, "s47_social_care")
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
    amara, ben, efe, baby = enquiries
    assert (amara.child_id, amara.started, amara.icpc_target, amara.icpc_date) == (
        "C900001",
        date(2026, 4, 1),
        date(2026, 4, 24),
        date(2026, 4, 17),
    )
    assert (amara.enquiries_last_12_months, amara.icpcs_last_12_months) == (2, 2)
    assert not amara.icpc_not_required
    assert ben.child_id == "C900002"
    assert ben.icpc_not_required
    assert (baby.started, baby.icpc_target, baby.icpc_date) == (
        date(2026, 4, 14),
        date(2026, 5, 6),
        None,
    )
    assert not baby.icpc_not_required
    assert (amara.team, amara.worker) == ("Assessment team 1", ben.worker)


def test_a_sibling_without_a_conference_has_no_icpc_of_their_own(
    enquiries: list[Section47Enquiry],
) -> None:
    """Efe shares Amara's discussion and its met ICPC clock, but none was recommended for
    him: no ICPC date, ICPC not required, and no ICPC in his last 12 months."""
    efe = enquiries[2]
    assert (efe.child_id, efe.started, efe.icpc_recommended) == ("C900004", date(2026, 4, 1), False)
    assert efe.icpc_date is None
    assert efe.icpc_not_required
    assert (efe.enquiries_last_12_months, efe.icpcs_last_12_months) == (1, 0)


def test_a_conference_after_the_period_is_not_in_its_return(
    enquiries: list[Section47Enquiry], authority: LocalAuthority
) -> None:
    """Amara's ICPC was held on 17 April: a return for 1 to 10 April tells how things stood
    on the 10th, with her conference still to come (the CIN census refuses a conference
    after its reference date, DfE rule 8715)."""
    early = section_47_enquiries(
        authority=authority, period=Period(date(2026, 4, 1), date(2026, 4, 10))
    )
    amara = early[0]
    assert (amara.child_id, amara.started, amara.icpc_recommended) == (
        "C900001",
        date(2026, 4, 1),
        True,
    )
    assert amara.icpc_date is None
    assert not amara.icpc_not_required
    # On 17 April itself the conference is in.
    through = section_47_enquiries(
        authority=authority, period=Period(date(2026, 4, 1), date(2026, 4, 17))
    )
    assert through[0].icpc_date == date(2026, 4, 17)


def _census(enquiries: list[Section47Enquiry]) -> ET.Element:
    """Parsed with the standard library: the XML is our own, made in this test."""
    xml = cin_census_xml(year=census_year_of(APRIL_2026), enquiries=enquiries)
    return ET.fromstring(xml)  # noqa: S314


def test_cin_census_is_well_formed_with_the_census_structure(
    enquiries: list[Section47Enquiry],
) -> None:
    message = _census(enquiries)
    assert message.tag == "Message"
    assert [child.tag for child in message] == ["Header", "Children"]
    details = message.find("Header/CollectionDetails")
    assert details is not None
    # April 2026 is in census year 2027, whose reference date is its 31 March.
    assert [(item.tag, item.text) for item in details] == [
        ("Collection", "CIN"),
        ("Year", "2027"),
        ("ReferenceDate", "2027-03-31"),
    ]
    children = message.findall("Children/Child")
    assert len(children) == 4
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
    amara, ben, efe, baby = _census(enquiries).findall("Children/Child")
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
    assert [(item.tag, item.text) for item in _found(efe, "CINdetails/Section47")] == [
        ("S47ActualStartDate", "2026-04-01"),
        ("InitialCPCtarget", "2026-04-24"),
        ("ICPCnotRequired", "true"),
    ]
    assert baby.findtext("ChildIdentifiers/LAchildID") == "C900003"
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


# The DfE's code sets and LAchildID rule, written out here so that a drift in the code's own
# lists fails this test (rules 4180, 4220, 1580 and 1570 as this project keeps it).
DFE_SEXES = {"M", "F", "U"}
DFE_ETHNICITIES = set(
    "WBRI WIRI WIRT WOTH WROM MWBC MWBA MWAS MOTH AIND APKN ABAN AOTH BCRB BAFR BOTH CHNE "
    "OOTH REFU NOBT".split()
)
LA_CHILD_ID = re.compile(r"[A-Za-z0-9]{1,10}")


def test_cin_census_keeps_the_dfe_rules_for_its_tables(
    enquiries: list[Section47Enquiry],
) -> None:
    """The rules of the DfE's validator for the Header, ChildIdentifiers,
    ChildCharacteristics and Section47 tables that need no data from outside Strategise.
    """
    message = _census(enquiries)
    year = int(message.findtext("Header/CollectionDetails/Year") or "")
    reference_date = date.fromisoformat(
        message.findtext("Header/CollectionDetails/ReferenceDate") or ""
    )
    assert reference_date == date(year, 3, 31)  # rule 100
    census_start = date(year - 1, 4, 1)
    ids = [child.findtext("ChildIdentifiers/LAchildID") or "" for child in message.iter("Child")]
    assert all(LA_CHILD_ID.fullmatch(found) for found in ids), ids  # rules 8500, 1570, 1580
    assert len(set(ids)) == len(ids)  # rule 8510
    for child in message.iter("Child"):
        born = child.findtext("ChildIdentifiers/PersonBirthDate")
        expected = child.findtext("ChildIdentifiers/ExpectedPersonBirthDate")
        assert (born is None) != (expected is None)  # rule 8525Q
        assert born is None or date.fromisoformat(born) <= reference_date  # rule 8520
        sex = child.findtext("ChildIdentifiers/Sex")
        assert sex in DFE_SEXES  # rule 4180
        assert expected is None or sex == "U"  # rule 8750
        assert child.findtext("ChildCharacteristics/Ethnicity") in DFE_ETHNICITIES  # rule 4220
        for section_47 in child.iter("Section47"):
            start = date.fromisoformat(section_47.findtext("S47ActualStartDate") or "")
            target = date.fromisoformat(section_47.findtext("InitialCPCtarget") or "")
            held = section_47.findtext("DateOfInitialCPC")
            not_required = section_47.findtext("ICPCnotRequired")
            assert not_required in ("true", "false")
            assert target.weekday() < 5  # rule 8870Q
            if held is not None:
                icpc = date.fromisoformat(held)
                assert start <= icpc  # rule 8615
                assert census_start <= icpc <= reference_date  # rule 8715
                assert icpc.weekday() < 5  # rule 8875
                assert not_required == "false"
            elif not_required == "false":
                assert census_start <= start <= reference_date  # rule 8740


def test_a_child_without_a_usable_reference_stops_the_returns_naming_them(
    enquiries: list[Section47Enquiry], authority: LocalAuthority
) -> None:
    """The returns never fall back on Strategise's own numbers: Ben's reference has a hyphen
    (DfE rule 1580) and Efe's is missing, so nothing is exported and both are named."""
    ben, efe = (enquiries[1].child_pk, enquiries[2].child_pk)
    Child.objects.filter(pk=ben).update(local_reference="B70-1001")
    Child.objects.filter(pk=efe).update(local_reference="")
    with pytest.raises(Problem) as caught:
        returns_enquiries(authority=authority, period=APRIL_2026, user=None, purpose="annex-a")
    messages = [message for _, message in caught.value.errors]
    assert len(messages) == 2
    assert messages[0].startswith(f"The local case reference of {enquiries[1].child_name} ")
    assert "must be letters and digits only, at most 10 characters" in messages[0]
    assert messages[1].startswith(
        f"The local case reference of {enquiries[2].child_name} (child {efe}) is missing"
    )
    assert not AuditEvent.objects.filter(action="export-return").exists()


def test_the_cin_census_is_for_one_census_year() -> None:
    """Census year 2026 is 1 April 2025 to 31 March 2026; dates across 31 March are two."""
    assert Period.census(2026) == Period(date(2025, 4, 1), date(2026, 3, 31))
    assert census_year_of(Period.census(2026)) == 2026
    assert census_year_of(Period(date(2026, 4, 1), date(2026, 4, 30))) == 2027
    with pytest.raises(Problem) as caught:
        census_year_of(Period(date(2026, 3, 1), date(2026, 4, 30)))
    assert caught.value.errors == [
        (
            "to",
            "The CIN census is for one census year, 1 April to 31 March, and 1 March 2026 to "
            "30 April 2026 is in more than one: choose dates within one census year",
        )
    ]


def test_cin_census_with_no_enquiries_still_has_its_header() -> None:
    xml = cin_census_xml(year=2026, enquiries=[])
    assert xml.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<Message>')
    message = ET.fromstring(xml)  # noqa: S314
    assert message.findtext("Header/CollectionDetails/Collection") == "CIN"
    assert message.findall("Children/Child") == []


def test_annex_a_lists_each_enquiry_with_its_columns(enquiries: list[Section47Enquiry]) -> None:
    rows = list(csv.reader(io.StringIO(annex_a_csv(period=APRIL_2026, enquiries=enquiries))))
    assert tuple(rows[0]) == ANNEX_A_COLUMNS
    amara, ben, efe, baby = rows[1:]
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
    assert efe[7:9] == ["a) Yes", ""]
    assert baby[1:5] == ["c) Not stated/recorded", "t) NOBT", "", ""]
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
        ("WBRI", "WBRI", "a) WBRI"),
        ("MOTH", "MOTH", "i) MOTH"),
        ("CHNE", "CHNE", "q) CHNE"),
        ("NOBT", "NOBT", "t) NOBT"),
        ("", "NOBT", "t) NOBT"),
    ],
)
def test_ethnicity_codes(recorded: str, code: str, annex: str) -> None:
    """The census takes the child's code, NOBT if none is recorded; Annex A letters it in
    the code set's order."""
    assert ethnicity_code(recorded) == code
    assert annex_a_ethnicity(recorded) == annex


@pytest.mark.parametrize(
    ("recorded", "unborn", "sex", "annex"),
    [
        ("F", False, "F", "b) Female"),
        ("M", False, "M", "a) Male"),
        ("U", False, "U", "c) Not stated/recorded"),
        ("", False, "U", "c) Not stated/recorded"),
        ("F", True, "U", "c) Not stated/recorded"),
    ],
)
def test_sex_and_annex_a_gender(recorded: str, unborn: bool, sex: str, annex: str) -> None:
    """The census's sex is the child's code, U if none is recorded and for an unborn baby
    (DfE rule 8750); Annex A's gender follows from it."""
    assert sex_code(recorded, unborn=unborn) == sex
    assert annex_a_gender(sex) == annex
