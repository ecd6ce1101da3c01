"""The CIN census export, checked by the DfE's own rules (csc-validator-be-cin).

The validator (pinned in ``cin_validator/requirements.txt``) runs in ``.venv-cin``, which
``make setup`` makes: it needs pandas 1.5, which the project's Python cannot have.
``cin_validator/run_rules.py`` runs each of the census year's rules over the exported XML
and reports, for each rule that found something, where.

The records are a census year's worth (census year 2026: 1 April 2025 to 31 March 2026)
in Sandwell, every one made through the services a social worker and a chair use (raise,
convene, start, record, decide, conclude, then the ICPC marked held), with the cases a
return has to get right:

* Amara (F, WBRI) and her brother Efe (M, BAFR), at one discussion on Wednesday
  10 September 2025: a joint enquiry with an ICPC recommended for her, held 25 September;
  a single-agency enquiry for him with no conference. Their sister Cara: no further action.
  Amara again on Monday 2 February 2026, with an ICPC held 20 February.
* Ben (M, APKN): an enquiry on 5 November 2025, no ICPC needed.
* Grace (F, MWBC), born 1 August 2025: an enquiry on Friday 19 December 2025 whose ICPC
  target falls after Christmas, held 9 January 2026.
* Dana (F), whose ethnicity is not yet recorded (``NOBT``), on 12 January 2026; Faisal (M),
  whose family refused to give his ethnicity (``REFU``), on 20 January.
* An unborn baby, due 20 May 2026: an enquiry on 16 March 2026 with an ICPC recommended
  and not yet held on 31 March (its target is 8 April).
* Hana (F, CHNE): an enquiry on 23 March 2026 whose ICPC was held on 8 April, after the
  reference date: the census year's return has it still to come (DfE rule 8715).

Strategise holds strategy discussions and the section 47 enquiries they start, not the
whole children in need episode: the referral, the assessments, the plans and the closure
are the case management system's, and the census's ``CINdetails`` joins them there. The
rules that fire only for want of that data are listed in ``NEEDS_CASE_SYSTEM_DATA`` with
their reason; every other rule must find nothing.
"""

from __future__ import annotations

import json
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from strategise.cases.models import Child
from strategise.cases.services import child_create
from strategise.clocks.models import Clock
from strategise.clocks.services import clock_mark_met
from strategise.discussions.concluding import discussion_conclude
from strategise.discussions.decisions import decision_confirm_no_further_action, decision_save
from strategise.discussions.models import Discussion
from strategise.discussions.recording import record_save
from strategise.discussions.services import discussion_convene, discussion_start
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.policy import LONDON
from strategise.reports.exports import cin_census_xml
from strategise.reports.period import Period
from strategise.reports.returns import census_year_of, returns_enquiries
from strategise.requests.services import request_create
from tests.discussions.support import invitations_for
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
VALIDATOR = ROOT / ".venv-cin" / "bin" / "python"
RUN_RULES = Path(__file__).parent / "cin_validator" / "run_rules.py"
CENSUS_YEAR = 2026
RULESET = "cin2025_26"  # the DfE's rules for census year 2026 (1 April 2025 to 31 March 2026)

# Each rule that fires only because the census's CINdetails needs what the case management
# system holds, not Strategise: with the columns it names. Any other rule that fires, or
# one of these that names another column, fails the test.
NEEDS_CASE_SYSTEM_DATA: dict[str, tuple[str, set[str]]] = {
    "8568": (
        "each CIN episode's ReferralNFA (whether the referral led to no further action): "
        "the referral and its outcome are the case management system's",
        {"ReferralNFA"},
    ),
    "8600": (
        "each CIN episode's CINreferralDate: the referral is the case management system's, "
        "and a section 47 enquiry starts within an episode it already holds",
        {"CINreferralDate"},
    ),
    "2991Q": (
        "a query (the DfE asks for a reason, not a change) on a Section47 module with no "
        "assessment in its episode: the assessments are the case management system's "
        "Assessments module, beside the enquiry in the same CINdetails",
        {"LAchildID"},
    ),
    "2887Q": (
        "a query on the whole return (fewer than 8 disability codes used): the census's "
        "Disabilities module is the case management system's; Strategise keeps a child's "
        "disability as the words a professional typed, not the census's codes",
        set(),
    ),
}

# What Strategise writes: these tables and columns must pass every rule.
EXPORTED = {
    "Header": {"Collection", "Year", "ReferenceDate"},
    "ChildIdentifiers": {"LAchildID", "PersonBirthDate", "ExpectedPersonBirthDate", "Sex"},
    "ChildCharacteristics": {"Ethnicity"},
    "Section47": {"S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired"},
}


def _validator_needs() -> str:
    return (
        f"{VALIDATOR} is missing: `make setup` makes it (the DfE's CIN census validator, "
        "csc-validator-be-cin, in a virtualenv of its own)"
    )


def run_rules(xml: bytes, tmp_path: Path, ruleset: str = RULESET) -> dict[str, Any]:
    """The DfE's rules (for census year 2026 unless ``ruleset`` names another) over
    ``xml``: ``run_rules.py``'s report."""
    assert VALIDATOR.is_file(), _validator_needs()
    path = tmp_path / "cin-census.xml"
    path.write_bytes(xml)
    done = subprocess.run(  # noqa: S603 - the pinned validator on our own file
        [str(VALIDATOR), str(RUN_RULES), str(path), ruleset],
        capture_output=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def _at(day: int, month: int, year: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LONDON)


class Records:
    """Sandwell's census year, made through the services, as the people who use them would."""

    def __init__(self, worker: User, chair: User) -> None:
        self.worker, self.chair = worker, chair
        self.references = iter(f"SAN{number}" for number in range(40001, 40100))

    def child(self, name: str, today: date, **values: Any) -> Child:
        values = {
            "first_name": name,
            "last_name": "Okafor",
            "local_reference": next(self.references),
            **values,
        }
        return child_create(user=self.worker, values=values, today=today)

    def discussion(
        self, identified_at: datetime, decisions: dict[Child, tuple[str, tuple[str, ...]]]
    ) -> Discussion:
        """Raised an hour after the concerns, held the next hour, decided and concluded."""
        raised = identified_at + timedelta(hours=1)
        held = raised + timedelta(hours=1)
        request = request_create(
            user=self.worker,
            identified_at=identified_at,
            children=list(decisions),
            concerns=["physical_abuse"],
            flags=[],
            referrer="",
            narrative="Bruising seen at school.",
            perpetrators=[],
            now=raised,
        )
        discussion = discussion_convene(
            user=self.worker,
            request=request,
            format="virtual",
            scheduled_for=held,
            chair=self.chair,
            invitations=invitations_for(request, {}),
            respond_url=lambda invitation: f"https://strategise.test/reply/{invitation.token}/",
            now=raised,
        )
        discussion = discussion_start(
            user=self.chair,
            discussion=discussion,
            attendance={invitation.pk: "attended" for invitation in discussion.invitations.all()},
            absence_reasons={},
            now=held,
        )
        decided = held + timedelta(minutes=45)
        record_save(
            user=self.chair,
            discussion=discussion,
            values={
                "risk_answers": {"1": "Further physical harm", "5": "At the next discussion"},
                "family_informed": "yes",
                "family_informed_by": "The allocated social worker",
                "family_informed_when": "Today after school",
                "legal_advice": "not_needed",
                "further_discussion_needed": False,
            },
            expected_version=0,
            now=decided,
        )
        for child, (outcome, also) in decisions.items():
            decision = decision_save(
                user=self.chair,
                discussion=discussion,
                child=child,
                values={
                    "outcome": outcome,
                    "also": list(also),
                    "rationale": "Injury unexplained",
                    "medical_decision": "arrange",
                },
                expected_version=0,
                now=decided,
            )
            if outcome == "nfa":
                decision_confirm_no_further_action(
                    user=self.chair, decision=decision, reasons="An accident, seen by a teacher"
                )
        return discussion_conclude(user=self.chair, discussion=discussion, now=decided)

    def icpc_held(self, discussion: Discussion, day: datetime) -> None:
        clock = Clock.objects.get(discussion=discussion, code="icpc_held")
        clock_mark_met(user=self.worker, clock=clock, at=day, now=day + timedelta(hours=2))


ICPC = ("recommend_icpc",)


@pytest.fixture
def census_year(authority: LocalAuthority, social_worker: User) -> list[Discussion]:
    """The census year's discussions, as the module's docstring lists them, chaired by a
    service manager (Sandwell's grade for these discussions)."""
    chair = UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.SERVICE_MANAGER
    )
    records = Records(social_worker, chair)
    september = date(2025, 9, 10)
    amara = records.child(
        "Amara", september, date_of_birth=date(2015, 6, 1), sex="F", ethnicity="WBRI"
    )
    efe = records.child("Efe", september, date_of_birth=date(2012, 1, 5), sex="M", ethnicity="BAFR")
    cara = records.child(
        "Cara", september, date_of_birth=date(2018, 3, 9), sex="F", ethnicity="WBRI"
    )
    siblings = records.discussion(
        _at(10, 9, 2025),
        {amara: ("s47_joint", ICPC), efe: ("s47_social_care", ()), cara: ("nfa", ())},
    )
    records.icpc_held(siblings, _at(25, 9, 2025, 14))
    ben = records.child(
        "Ben", date(2025, 11, 5), date_of_birth=date(2017, 2, 3), sex="M", ethnicity="APKN"
    )
    bens = records.discussion(_at(5, 11, 2025), {ben: ("s47_social_care", ())})
    grace = records.child(
        "Grace", date(2025, 12, 19), date_of_birth=date(2025, 8, 1), sex="F", ethnicity="MWBC"
    )
    graces = records.discussion(_at(19, 12, 2025), {grace: ("s47_joint", ICPC)})
    records.icpc_held(graces, _at(9, 1, 2026, 11))
    dana = records.child("Dana", date(2026, 1, 12), date_of_birth=date(2010, 10, 30), sex="F")
    danas = records.discussion(_at(12, 1, 2026), {dana: ("s47_social_care", ())})
    faisal = records.child(
        "Faisal", date(2026, 1, 20), date_of_birth=date(2013, 4, 2), sex="M", ethnicity="REFU"
    )
    faisals = records.discussion(_at(20, 1, 2026), {faisal: ("s47_joint", ())})
    again = records.discussion(_at(2, 2, 2026), {amara: ("s47_joint", ICPC)})
    records.icpc_held(again, _at(20, 2, 2026, 13))
    baby = records.child(
        "Baby", date(2026, 3, 16), unborn=True, expected_date=date(2026, 5, 20), education="none"
    )
    unborn = records.discussion(_at(16, 3, 2026), {baby: ("s47_social_care", ICPC)})
    hana = records.child(
        "Hana", date(2026, 3, 23), date_of_birth=date(2019, 7, 14), sex="F", ethnicity="CHNE"
    )
    hanas = records.discussion(_at(23, 3, 2026), {hana: ("s47_joint", ICPC)})
    records.icpc_held(hanas, _at(8, 4, 2026, 10))
    return [siblings, bens, graces, danas, faisals, again, unborn, hanas]


def _export(authority: LocalAuthority) -> bytes:
    period = Period.census(CENSUS_YEAR)
    enquiries = returns_enquiries(
        authority=authority, period=period, user=None, purpose="cin-census"
    )
    return cin_census_xml(year=census_year_of(period), enquiries=enquiries)


def _references(authority: LocalAuthority) -> dict[str, str]:
    """Each child's local case reference, by first name."""
    children = Child.objects.filter(local_authority=authority)
    return dict(children.values_list("first_name", "local_reference"))


def _child(message: ET.Element, name: str, records: dict[str, str]) -> ET.Element:
    """The ``<Child>`` of the child called ``name`` (by their ``LAchildID``)."""
    for child in message.iterfind("Children/Child"):
        if child.findtext("ChildIdentifiers/LAchildID") == records[name]:
            return child
    raise AssertionError(f"{name} is not in the export")


def _set(element: ET.Element, path: str, text: str) -> None:
    found = element.find(path)
    assert found is not None, path
    found.text = text


@pytest.mark.django_db
def test_the_cin_census_passes_the_dfe_rules_for_the_data_strategise_holds(
    authority: LocalAuthority, census_year: list[Discussion], tmp_path: Path
) -> None:
    xml = _export(authority)
    message = ET.fromstring(xml)  # noqa: S314 - our own export
    # Every enquiry is there: Amara's two, Efe's, Ben's, Grace's, Dana's, Faisal's, the
    # baby's and Hana's (Cara's "no further action" is not an enquiry).
    assert len(message.findall("Children/Child")) == 8
    assert len(message.findall("Children/Child/CINdetails/Section47")) == 9
    hana = _child(message, "Hana", _references(authority)).find("CINdetails/Section47")
    assert hana is not None
    assert [(item.tag, item.text) for item in hana] == [
        ("S47ActualStartDate", "2026-03-23"),
        ("InitialCPCtarget", "2026-04-15"),
        ("ICPCnotRequired", "false"),
    ]

    report = run_rules(xml, tmp_path)

    assert report["crashed"] == {}, "a rule could not run on the export"
    assert report["rules"] > 100
    assert report["tables"]["Section47"] == 9
    assert report["tables"]["ChildIdentifiers"] == 8
    assert report["tables"]["ChildCharacteristics"] == 8
    unexpected = {
        code: found
        for code, found in report["broken"].items()
        if code not in NEEDS_CASE_SYSTEM_DATA
    }
    assert unexpected == {}, "DfE rules broken by the export"
    # And each exempt rule is one that fires: the list says exactly what the return lacks.
    assert set(report["broken"]) == set(NEEDS_CASE_SYSTEM_DATA)
    for code, found in report["broken"].items():
        _, columns = NEEDS_CASE_SYSTEM_DATA[code]
        named = {place["column"] for place in found["where"]}
        assert named <= columns, f"rule {code} names {named - columns}, not only {columns}"
    for table, columns in EXPORTED.items():
        for code, found in report["broken"].items():
            assert not any(
                place["table"] == table and place["column"] in columns for place in found["where"]
            ), f"rule {code} found a problem in {table}, which Strategise writes"


@pytest.mark.django_db
def test_the_validator_catches_what_the_census_refuses(
    authority: LocalAuthority, census_year: list[Discussion], tmp_path: Path
) -> None:
    """The same export made wrong in the ways the census refuses: each rule that forbids it
    fires, so the test above would see it."""
    references = _references(authority)
    message = ET.fromstring(_export(authority))  # noqa: S314 - our own export
    # A hyphen in a child ID (DfE rule 1580), as the returns wrote before references were
    # checked; a sex that is not a code (4180); an unborn baby's sex given (8750); a
    # conference before its enquiry started (8615); and one after the reference date (8715).
    _set(_child(message, "Amara", references), "ChildIdentifiers/LAchildID", "SAN-40001")
    _set(_child(message, "Efe", references), "ChildIdentifiers/Sex", "X")
    _set(_child(message, "Baby", references), "ChildIdentifiers/Sex", "F")
    _set(
        _child(message, "Grace", references), "CINdetails/Section47/DateOfInitialCPC", "2025-12-01"
    )
    hana = _child(message, "Hana", references).find("CINdetails/Section47")
    assert hana is not None
    ET.SubElement(hana, "DateOfInitialCPC").text = "2026-04-08"
    # A child's sex not recorded: with 1 in 7 born children, the DfE queries the return
    # (more than 2%, 2886Q).
    _set(_child(message, "Dana", references), "ChildIdentifiers/Sex", "U")
    # An ICPC still to come for an enquiry started on 20 January: queried (8675Q).
    _set(_child(message, "Faisal", references), "CINdetails/Section47/ICPCnotRequired", "false")

    report = run_rules(ET.tostring(message), tmp_path)

    fired = set(report["broken"]) - set(NEEDS_CASE_SYSTEM_DATA)
    assert fired == {"1580", "4180", "8750", "8615", "8715", "2886Q", "8675Q"}
    assert report["crashed"] == {}
