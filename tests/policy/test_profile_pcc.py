"""PCC's One Minute Guide to strategy discussions: one test per rule, named after its clause.

The guide (seeds/004_737dac9b5b9fb982.txt) has no numbered sections; each test names
the heading its rule comes from. 2026-03-04 is a Wednesday; "15 days" and "day 8" in
§Remember are calendar days, since the guide does not say working days.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from strategise.policy import get_profile

from .support import (
    FRIDAY,
    clocks_for,
    complex_rules,
    recommended,
    required,
    rules_behind,
    steps,
    triage_for,
)

PROFILE = "pcc"
SOURCE = "004_737dac9b5b9fb982.txt"


def pcc(*concerns: str, **kwargs: Any) -> dict[str, Any]:
    """A PCC triage answer for a case described in a line."""
    return triage_for(PROFILE, *concerns, **kwargs)


def child(**fields: Any) -> dict[str, Any]:
    """One child of the facts, with only the fields that matter to the test."""
    return {"id": "c1", **fields}


def meeting_required_by(answer: dict[str, Any]) -> set[str]:
    """The ids of the rules that say the discussion has to be a meeting."""
    return {reason["rule"] for reason in answer["meeting_reasons"]}


# --- The profile -------------------------------------------------------------------


def test_pcc_extends_national_and_cites_its_guide() -> None:
    profile = get_profile(PROFILE)

    assert profile.extends == "national"
    assert profile.source_file == SOURCE
    assert profile.rule("pcc-remember-icpc-15-days").citation == f"{SOURCE} §Remember"


def test_pcc_replaces_only_the_national_referrer_rule() -> None:
    profile = get_profile(PROFILE)

    try:
        profile.rule("wt2023-ch3-referrer")
    except KeyError:
        pass
    else:
        raise AssertionError("wt2023-ch3-referrer should be replaced by the PCC referrer rule")
    assert profile.rule("wt2023-ch3-chair-social-care")
    assert profile.rule("wt2023-ch3-minimum-attendees")


# --- No timescale for holding the discussion ------------------------------------------


def test_pcc_sets_no_timescale_for_holding_the_discussion() -> None:
    routine = pcc("neglect")
    urgent = pcc(
        "penetrative_sexual_abuse",
        flags=("serious_harm", "immediate_risk", "forensic_window", "whereabouts_unknown"),
    )

    assert routine["hold_by"] is None
    assert routine["timescales"] == []
    assert urgent["hold_by"] is None
    assert urgent["timescales"] == []


# --- §When should it be a meeting?: complex discussions --------------------------------


def test_pcc_when_meeting_complex_for_organised_abuse() -> None:
    rule = "pcc-when-meeting-complex-organised-or-multiple-abuse"

    assert complex_rules(pcc("organised_abuse")) == {rule}
    assert complex_rules(pcc("ritualistic_abuse")) == {rule}
    assert pcc("organised_abuse")["discussion_type"] == "complex"


def test_pcc_when_meeting_complex_for_multiple_abuse_by_more_than_one_abuser() -> None:
    answer = pcc("sexual_abuse", perpetrators=[{}, {}])

    assert answer["discussion_type"] == "complex"
    assert complex_rules(answer) == {"pcc-when-meeting-complex-organised-or-multiple-abuse"}


def test_pcc_when_meeting_complex_for_multiple_abuse_of_children_in_different_families() -> None:
    answer = pcc(
        "sexual_abuse",
        children=[child(household="h1"), child(id="c2", household="h2")],
        perpetrators=[{}],
    )

    assert complex_rules(answer) == {"pcc-when-meeting-complex-organised-or-multiple-abuse"}


def test_pcc_when_meeting_sibling_group_with_one_abuser_is_not_multiple_abuse() -> None:
    answer = pcc(
        "physical_abuse",
        children=[child(), child(id="c2"), child(id="c3")],
        perpetrators=[{}],
    )

    assert answer["discussion_type"] == "standard"
    assert answer["complex_reasons"] == []


def test_pcc_when_meeting_complex_for_fabricated_or_induced_illness() -> None:
    answer = pcc("fabricated_or_induced_illness")

    assert answer["discussion_type"] == "complex"
    assert complex_rules(answer) == {"pcc-when-meeting-complex-fabricated-or-induced-illness"}


def test_pcc_when_meeting_complex_following_child_death_with_surviving_siblings() -> None:
    answer = pcc("child_death_with_surviving_siblings")

    assert answer["discussion_type"] == "complex"
    assert complex_rules(answer) == {"pcc-when-meeting-complex-child-death"}


# --- §When should it be a meeting?: face-to-face meeting -------------------------------


def test_pcc_when_meeting_face_to_face_for_organised_or_multiple_abuse() -> None:
    answer = pcc("organised_abuse")

    assert answer["meeting_required"] is True
    assert meeting_required_by(answer) == {
        "pcc-when-meeting-face-to-face-organised-or-multiple-abuse",
        "pcc-when-meeting-face-to-face-complex",
    }


def test_pcc_when_meeting_face_to_face_for_fabricated_or_induced_illness() -> None:
    answer = pcc("fabricated_or_induced_illness")

    assert answer["meeting_required"] is True
    assert "pcc-when-meeting-face-to-face-fabricated-or-induced-illness" in meeting_required_by(
        answer
    )


def test_pcc_when_meeting_face_to_face_following_child_death() -> None:
    answer = pcc("child_death_with_surviving_siblings")

    assert answer["meeting_required"] is True
    assert "pcc-when-meeting-face-to-face-child-death" in meeting_required_by(answer)


def test_pcc_when_meeting_face_to_face_when_concerns_are_complex() -> None:
    answer = pcc("sexual_abuse", perpetrators=[{}, {}])

    assert "pcc-when-meeting-face-to-face-complex" in meeting_required_by(answer)


def test_pcc_when_meeting_phone_or_virtual_is_enough_otherwise() -> None:
    answer = pcc("physical_abuse", flags=("serious_harm",), perpetrators=[{}])

    assert answer["meeting_required"] is False
    assert answer["meeting_reasons"] == []
    assert answer["meeting_recommended"] == []


def test_pcc_when_meeting_chaired_by_a_manager_in_childrens_social_care() -> None:
    chair = pcc("fabricated_or_induced_illness")["chair"]

    assert chair["minimum_grade"] == "team_manager"
    assert chair["rule"] == "pcc-when-meeting-manager-chair"
    assert chair["source"] == f"{SOURCE} §When should it be a meeting?"
    assert "deputy_team_manager" not in chair["allowed_grades"]


def test_pcc_when_meeting_no_manager_chair_rule_for_a_standard_discussion() -> None:
    chair = pcc("neglect")["chair"]

    assert chair["rule"] == "wt2023-ch3-chair-social-care"
    assert chair["minimum_grade"] == "social_worker"
    assert chair["also"] == []


# --- §Who should be involved? and §Remember: attendees ----------------------------------


def test_pcc_who_should_be_involved_absolute_minimum_social_worker_police_health() -> None:
    answer = pcc("neglect", children=[child(education="none")])

    assert set(required(answer)) == {"childrens_social_care", "police", "health"}
    for code in ("childrens_social_care", "police", "health"):
        assert "pcc-who-should-be-involved-minimum" in rules_behind(required(answer)[code])


def test_pcc_remember_minimum_must_include_social_care_police_health() -> None:
    answer = pcc("neglect")

    for code in ("childrens_social_care", "police", "health"):
        assert "pcc-remember-minimum" in rules_behind(required(answer)[code])


def test_pcc_who_should_be_involved_referring_agency_should_be_included() -> None:
    answer = pcc("neglect", referrer="school")

    assert required(answer)["referrer"]["rule"] == "pcc-who-should-be-involved-referrer"
    assert rules_behind(required(answer)["referrer"]) == {"pcc-who-should-be-involved-referrer"}
    assert "referrer" not in recommended(answer)
    assert "referrer" not in required(pcc("neglect"))


def test_pcc_who_should_be_involved_school_nursery_or_college_that_knows_the_family() -> None:
    rule = "pcc-who-should-be-involved-education-knows-family"

    for setting in ("school", "pre_school", "college"):
        answer = pcc("neglect", children=[child(education=setting)])
        assert required(answer)["education"]["rule"] == rule, setting
    assert "education" not in required(pcc("neglect", children=[child(education="not_on_roll")]))
    assert "education" not in required(pcc("neglect", children=[child(unborn=True)]))


def test_pcc_who_should_be_involved_carer_who_knows_the_child_in_care() -> None:
    answer = pcc("neglect", children=[child(looked_after=True)])

    assert required(answer)["carer"]["rule"] == "pcc-who-should-be-involved-carer-knows-family"
    assert "carer" not in required(pcc("neglect"))


def test_pcc_who_should_be_involved_consider_domestic_abuse_service() -> None:
    answer = pcc("emotional_abuse", flags=("parental_domestic_abuse",))

    assert recommended(answer)["domestic_abuse_service"]["rule"] == (
        "pcc-who-should-be-involved-domestic-abuse-service"
    )
    assert "domestic_abuse_service" not in recommended(pcc("emotional_abuse"))


def test_pcc_who_should_be_involved_consider_adult_mental_health_service() -> None:
    answer = pcc("neglect", flags=("parental_mental_health",))

    assert recommended(answer)["adult_mental_health"]["rule"] == (
        "pcc-who-should-be-involved-adult-mental-health"
    )
    assert "adult_mental_health" not in recommended(pcc("neglect"))


def test_pcc_who_should_be_involved_consider_substance_misuse_service() -> None:
    answer = pcc("neglect", flags=("parental_substance_misuse",))

    assert recommended(answer)["substance_misuse_service"]["rule"] == (
        "pcc-who-should-be-involved-substance-misuse-service"
    )
    assert "substance_misuse_service" not in recommended(
        pcc("neglect", flags=("parental_domestic_abuse",))
    )


def test_pcc_who_should_be_involved_midwifery_for_an_unborn_child() -> None:
    answer = pcc("neglect", children=[child(unborn=True, education="none")])

    assert required(answer)["midwifery"]["rule"] == "pcc-who-should-be-involved-midwifery"
    assert "midwifery" not in required(pcc("neglect", children=[child(education="none")]))


def test_pcc_who_should_be_involved_hospital_medical_staff_when_child_in_hospital() -> None:
    answer = pcc("physical_abuse", children=[child(in_hospital=True)])

    assert required(answer)["hospital_clinician"]["rule"] == (
        "pcc-who-should-be-involved-hospital-clinician"
    )
    assert "hospital_clinician" not in required(pcc("physical_abuse", children=[child()]))


def test_pcc_who_should_be_involved_legal_services_may_attend() -> None:
    answer = pcc("neglect")

    assert recommended(answer)["legal"]["rule"] == "pcc-who-should-be-involved-legal"
    assert "legal" not in required(answer)


# --- §Recording the Strategy Discussion -----------------------------------------------


def test_pcc_recording_business_support_minute_taker_when_complex() -> None:
    answer = pcc("fabricated_or_induced_illness")

    assert steps(answer)["business_support_note_taker"]["rule"] == (
        "pcc-recording-business-support-minute-taker"
    )


def test_pcc_recording_no_minute_taker_for_a_standard_discussion() -> None:
    answer = pcc("physical_abuse", referrer="school")

    assert answer["steps"] == []


# --- §Remember: ICPC clocks -------------------------------------------------------------


def test_pcc_remember_icpc_within_15_working_days_of_the_discussion() -> None:
    """PCC's "15 days from strategy discussion to ICPC" restates Working Together's 15 working
    days (triage-contract.md, Time): Wednesday 4 March 2026 + 15 working days is
    Wednesday 25 March, the same day as the national rule, which is reported beside it."""
    icpc = clocks_for(PROFILE, held_at="2026-03-04T15:00:00", section_47=True)["icpc_held"]

    assert icpc["due"] == "2026-03-25T23:59:59+00:00"
    assert icpc["within"] == "15 working days"
    assert rules_behind(icpc) == {"pcc-remember-icpc-15-days", "wt2023-ch3-icpc-15-working-days"}
    assert [other["due"] for other in icpc["also"]] == ["2026-03-25T23:59:59+00:00"]


def test_pcc_remember_icpc_15_working_days_over_christmas() -> None:
    """From Thursday 24 December 2026: Christmas Day, the substitute Boxing Day (Monday
    28th), New Year's Day and two weekends do not count, so the 15th working day is
    Tuesday 19 January 2027 (calendar days would give Friday 8 January)."""
    icpc = clocks_for(
        PROFILE,
        identified_at="2026-12-24T10:00:00",
        held_at="2026-12-24T15:00:00",
        section_47=True,
    )["icpc_held"]

    assert icpc["due"] == "2027-01-19T23:59:59+00:00"
    assert rules_behind(icpc) == {"pcc-remember-icpc-15-days", "wt2023-ch3-icpc-15-working-days"}


def test_pcc_remember_icpc_request_to_service_quality_team_by_working_day_8() -> None:
    """Wednesday 4 March 2026 + 8 working days (5, 6, 9-13, 16 March) is Monday 16 March."""
    request = clocks_for(PROFILE, held_at="2026-03-04T15:00:00", section_47=True)["icpc_requested"]

    assert request["due"] == "2026-03-16T23:59:59+00:00"
    assert request["within"] == "eight working days"
    assert request["rule"] == "pcc-remember-icpc-request-day-8"


def test_pcc_remember_icpc_request_day_8_from_a_friday_discussion() -> None:
    """Friday 6 March 2026 + 8 working days (9-13, 16-18 March) is Wednesday 18 March,
    not Saturday 14 March: the weekends do not count."""
    request = clocks_for(
        PROFILE, identified_at=FRIDAY, held_at="2026-03-06T16:00:00", section_47=True
    )["icpc_requested"]

    assert request["due"] == "2026-03-18T23:59:59+00:00"


def test_pcc_remember_no_icpc_clocks_without_section_47() -> None:
    answer = clocks_for(PROFILE, held_at="2026-03-04T15:00:00", section_47=False)

    assert "icpc_held" not in answer
    assert "icpc_requested" not in answer
    assert set(answer) == {"assessment_completed"}


# --- §What are the tasks of the Strategy Discussion? -----------------------------------


def test_pcc_tasks_of_the_discussion_are_its_agenda() -> None:
    agenda = get_profile(PROFILE).agenda

    assert [item.title for item in agenda] == [
        "Share available information",
        "Agree the conduct and timing of any criminal investigation",
        "Decide whether section 47 enquiries must be undertaken",
        "What further information is needed",
        "Immediate and short-term action to support the child",
        "Whether legal action is required",
    ]
    assert {item.source for item in agenda} == {"§What are the tasks of the Strategy Discussion?"}


# --- Coverage ---------------------------------------------------------------------------


def test_every_pcc_rule_has_a_test_here() -> None:
    profile = get_profile(PROFILE)
    own = {
        compiled.rule.id
        for rules in profile.rules.values()
        for compiled in rules
        if compiled.rule.id.startswith("pcc-")
    }
    mentioned = set(re.findall(r'"(pcc-[a-z0-9-]+)"', Path(__file__).read_text()))

    assert own, "the profile has no rules of its own"
    assert own - mentioned == set()
