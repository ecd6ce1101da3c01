"""Sandwell Children's Trust strategy discussion / meeting procedure, clause by clause.

Source: shared/seeds/002_3bebd37290b13db4.txt. One test per rule of the ``sandwell``
profile (including the national rules it inherits), each with the case where the rule
must not apply. Dates: Wednesday 4 March 2026 and Friday 6 March 2026 are ordinary
working days in GMT; British Summer Time starts on Sunday 29 March 2026; Good Friday is
3 April 2026 and Easter Monday 6 April 2026.
"""

from __future__ import annotations

from typing import Any

from strategise.policy import get_profile

from .support import (
    FRIDAY,
    WEDNESDAY,
    clocks_for,
    complex_rules,
    recommended,
    required,
    rules_behind,
    steps,
    timescale,
    triage_for,
)

SOURCE = "002_3bebd37290b13db4.txt"
POSITION_OF_TRUST = [{"position_of_trust": True}]


def child(**fields: Any) -> dict[str, Any]:
    """A child of household h1 with the contract's defaults, changed where given."""
    return {"household": "h1", **fields}


def meeting_rules(answer: dict[str, Any]) -> set[str]:
    return {reason["rule"] for reason in answer["meeting_reasons"]}


def meeting_recommended_rules(answer: dict[str, Any]) -> set[str]:
    return {reason["rule"] for reason in answer["meeting_recommended"]}


def chair_rules_also(answer: dict[str, Any]) -> set[str]:
    return {other["rule"] for other in answer["chair"]["also"]}


# --- §4.1 and §4.3: what makes a strategy meeting complex -----------------------------


def test_sandwell_4_1_allegation_against_person_in_position_of_trust_is_complex() -> None:
    answer = triage_for("sandwell", "physical_abuse", perpetrators=POSITION_OF_TRUST)
    assert answer["discussion_type"] == "complex"
    assert complex_rules(answer) == {"sandwell-4-1-position-of-trust"}
    assert answer["complex_reasons"][0]["source"] == f"{SOURCE} §4.1"

    family_member = triage_for(
        "sandwell", "physical_abuse", perpetrators=[{"position_of_trust": False}]
    )
    assert family_member["discussion_type"] == "standard"
    assert complex_rules(family_member) == set()


def test_sandwell_4_1_more_than_one_alleged_perpetrator_is_complex() -> None:
    answer = triage_for("sandwell", "sexual_abuse", perpetrators=[{}, {}])
    assert answer["discussion_type"] == "complex"
    assert complex_rules(answer) == {"sandwell-4-1-more-than-one-perpetrator"}

    one = triage_for("sandwell", "sexual_abuse", perpetrators=[{}])
    assert one["discussion_type"] == "standard"


def test_sandwell_4_1_children_who_do_not_live_in_the_same_family_is_complex() -> None:
    answer = triage_for(
        "sandwell",
        "physical_abuse",
        children=[child(id="a", household="h1"), child(id="b", household="h2")],
    )
    assert answer["discussion_type"] == "complex"
    assert complex_rules(answer) == {"sandwell-4-1-children-in-different-families"}

    siblings = triage_for(
        "sandwell",
        "physical_abuse",
        children=[child(id="a", household="h1"), child(id="b", household="h1")],
    )
    assert siblings["discussion_type"] == "standard"


def test_sandwell_4_1_indicators_of_organised_or_ritualistic_abuse_are_complex() -> None:
    for concern in ("organised_abuse", "ritualistic_abuse"):
        answer = triage_for("sandwell", concern)
        assert answer["discussion_type"] == "complex", concern
        assert complex_rules(answer) == {"sandwell-4-1-organised-or-ritualistic"}, concern

    assert triage_for("sandwell", "sexual_abuse")["discussion_type"] == "standard"


def test_sandwell_4_3_fabricated_illness_or_forced_marriage_is_complex() -> None:
    for concern in ("fabricated_or_induced_illness", "forced_marriage"):
        answer = triage_for("sandwell", concern)
        assert answer["discussion_type"] == "complex", concern
        assert complex_rules(answer) == {"sandwell-4-3-manager-complex"}, concern

    assert triage_for("sandwell", "emotional_abuse")["discussion_type"] == "standard"


# --- Meeting format -------------------------------------------------------------------


def test_sandwell_1_0_meeting_must_be_convened_after_a_child_protection_plan() -> None:
    for plan in ("ended_within_2_years", "current"):
        answer = triage_for("sandwell", "neglect", children=[child(cp_plan=plan)])
        assert answer["meeting_required"] is True, plan
        assert meeting_rules(answer) == {"sandwell-1-0-meeting-after-child-protection-plan"}
        assert answer["meeting_reasons"][0]["source"] == f"{SOURCE} §1.0"

    never = triage_for("sandwell", "neglect", children=[child(cp_plan="none")])
    assert never["meeting_required"] is False
    assert meeting_rules(never) == set()


def test_sandwell_1_0_discussion_ideally_face_to_face_is_recommended_not_required() -> None:
    answer = triage_for("sandwell", "neglect")
    assert meeting_recommended_rules(answer) == {"sandwell-1-0-ideally-face-to-face"}
    # "may also be undertaken via a telephone/Skype discussion": not a requirement.
    assert answer["meeting_required"] is False
    assert answer["meeting_reasons"] == []


def test_sandwell_4_1_complex_strategy_meeting_is_a_meeting() -> None:
    answer = triage_for("sandwell", "physical_abuse", perpetrators=POSITION_OF_TRUST)
    assert answer["meeting_required"] is True
    assert meeting_rules(answer) == {"sandwell-4-1-complex-meeting"}

    standard = triage_for("sandwell", "physical_abuse")
    assert standard["meeting_required"] is False
    assert "sandwell-4-1-complex-meeting" not in meeting_rules(standard)


def test_sandwell_4_3_manager_chaired_complex_strategy_meeting_is_a_meeting() -> None:
    answer = triage_for("sandwell", "forced_marriage")
    assert answer["meeting_required"] is True
    assert meeting_rules(answer) == {"sandwell-4-3-manager-meeting"}

    organised = triage_for("sandwell", "organised_abuse")
    assert meeting_rules(organised) == {
        "sandwell-4-1-complex-meeting",
        "sandwell-4-3-manager-meeting",
    }

    assert triage_for("sandwell", "neglect")["meeting_required"] is False


# --- Timescales (§1.0, §4.2, §9.0) ----------------------------------------------------


def test_sandwell_9_0_generally_within_three_working_days() -> None:
    wednesday = triage_for("sandwell", "neglect", identified_at=WEDNESDAY)
    assert timescale(wednesday, "sandwell-9-0-three-working-days") == "2026-03-09T23:59:59+00:00"
    assert wednesday["hold_by"] == "2026-03-09T23:59:59+00:00"
    assert [t["id"] for t in wednesday["timescales"]] == ["sandwell-9-0-three-working-days"]
    assert wednesday["timescales"][0]["source"] == f"{SOURCE} §9.0"

    friday = triage_for("sandwell", "neglect", identified_at=FRIDAY)
    assert friday["hold_by"] == "2026-03-11T23:59:59+00:00"

    # Thursday before Easter: Good Friday and Easter Monday are not working days.
    easter = triage_for("sandwell", "neglect", identified_at="2026-04-02T10:00:00")
    assert easter["hold_by"] == "2026-04-09T23:59:59+01:00"

    # Christmas Eve 2026: 25 and 28 December are bank holidays.
    christmas = triage_for("sandwell", "neglect", identified_at="2026-12-24T10:00:00")
    assert christmas["hold_by"] == "2026-12-31T23:59:59+00:00"

    # Reported, but not what applies, when a stricter timescale does.
    urgent = triage_for("sandwell", "neglect", flags=("immediate_risk",))
    assert timescale(urgent, "sandwell-9-0-three-working-days") == "2026-03-09T23:59:59+00:00"
    assert urgent["hold_by"] != "2026-03-09T23:59:59+00:00"


def test_sandwell_1_0_immediate_discussion_where_emergency_action_may_be_necessary() -> None:
    answer = triage_for("sandwell", "physical_abuse", flags=("immediate_risk",))
    rule = "sandwell-1-0-immediate-discussion-emergency-action-needed"
    assert timescale(answer, rule) == "2026-03-04T23:59:59+00:00"
    assert answer["hold_by"] == "2026-03-04T23:59:59+00:00"

    assert timescale(triage_for("sandwell", "physical_abuse"), rule) is None
    # Emergency action already taken is §9.0's one working day, not this clause.
    taken = triage_for("sandwell", "physical_abuse", flags=("emergency_action_taken",))
    assert timescale(taken, rule) is None


def test_sandwell_9_0_same_day_for_immediate_risk() -> None:
    rule = "sandwell-9-0-same-day-immediate-risk"
    risk = triage_for("sandwell", "neglect", identified_at=FRIDAY, flags=("immediate_risk",))
    assert timescale(risk, rule) == "2026-03-06T23:59:59+00:00"
    assert risk["hold_by"] == "2026-03-06T23:59:59+00:00"

    # "e.g. physical injury or neglect": serious injury or serious neglect is immediate risk.
    serious = triage_for("sandwell", "physical_abuse", flags=("serious_harm",))
    assert timescale(serious, rule) == "2026-03-04T23:59:59+00:00"
    assert serious["hold_by"] == "2026-03-04T23:59:59+00:00"

    ordinary = triage_for("sandwell", "physical_abuse")
    assert timescale(ordinary, rule) is None
    assert ordinary["hold_by"] == "2026-03-09T23:59:59+00:00"


def test_sandwell_9_0_same_day_for_sexual_abuse_to_secure_forensic_evidence() -> None:
    rule = "sandwell-9-0-same-day-sexual-abuse-forensic"
    saturday = "2026-03-07T14:20:00"
    answer = triage_for(
        "sandwell", "penetrative_sexual_abuse", identified_at=saturday, flags=("forensic_window",)
    )
    assert timescale(answer, rule) == "2026-03-07T23:59:59+00:00"
    assert answer["hold_by"] == "2026-03-07T23:59:59+00:00"
    assert answer["out_of_hours"] is True

    no_forensic_need = triage_for("sandwell", "sexual_abuse", identified_at=saturday)
    assert timescale(no_forensic_need, rule) is None
    # Saturday is day 0: the third working day after it is Wednesday.
    assert no_forensic_need["hold_by"] == "2026-03-11T23:59:59+00:00"

    not_sexual = triage_for("sandwell", "physical_abuse", flags=("forensic_window",))
    assert timescale(not_sexual, rule) is None


def test_sandwell_9_0_one_working_day_after_prior_emergency_action() -> None:
    rule = "sandwell-9-0-one-working-day-emergency-action"
    friday = triage_for(
        "sandwell", "physical_abuse", identified_at=FRIDAY, flags=("emergency_action_taken",)
    )
    assert timescale(friday, rule) == "2026-03-09T23:59:59+00:00"
    assert friday["hold_by"] == "2026-03-09T23:59:59+00:00"

    # Thursday 2 April 2026: the next working day is Tuesday 7 April, in summer time.
    easter = triage_for(
        "sandwell",
        "physical_abuse",
        identified_at="2026-04-02T16:00:00",
        flags=("emergency_action_taken",),
    )
    assert timescale(easter, rule) == "2026-04-07T23:59:59+01:00"

    assert timescale(triage_for("sandwell", "physical_abuse", identified_at=FRIDAY), rule) is None


def test_sandwell_9_0_one_working_day_when_particularly_complex() -> None:
    rule = "sandwell-9-0-one-working-day-particularly-complex"
    staff = triage_for("sandwell", "physical_abuse", perpetrators=POSITION_OF_TRUST)
    assert timescale(staff, rule) == "2026-03-05T23:59:59+00:00"

    organised = triage_for("sandwell", "organised_abuse", identified_at=FRIDAY)
    assert timescale(organised, rule) == "2026-03-09T23:59:59+00:00"

    # Complex (two perpetrators) but not "particularly complex": §4.2's three days only.
    two_perpetrators = triage_for("sandwell", "sexual_abuse", perpetrators=[{}, {}])
    assert timescale(two_perpetrators, rule) is None
    assert two_perpetrators["hold_by"] == "2026-03-07T23:59:59+00:00"


def test_sandwell_4_2_complex_meeting_within_three_calendar_days() -> None:
    rule = "sandwell-4-2-complex-three-days"
    two_families = [child(id="a", household="h1"), child(id="b", household="h2")]
    wednesday = triage_for("sandwell", "physical_abuse", children=two_families)
    assert timescale(wednesday, rule) == "2026-03-07T23:59:59+00:00"
    assert wednesday["hold_by"] == "2026-03-07T23:59:59+00:00"
    assert next(t for t in wednesday["timescales"] if t["id"] == rule)["source"] == f"{SOURCE} §4.2"

    # Calendar days: from a Friday, three days is the Monday, not the Wednesday.
    friday = triage_for("sandwell", "physical_abuse", identified_at=FRIDAY, children=two_families)
    assert timescale(friday, rule) == "2026-03-09T23:59:59+00:00"

    # A §4.3 manager-chaired meeting is not arranged with the Safeguarding Service.
    assert timescale(triage_for("sandwell", "forced_marriage"), rule) is None
    assert timescale(triage_for("sandwell", "physical_abuse"), rule) is None


def test_sandwell_4_2_and_9_0_both_reported_for_staff_allegation_strictest_applies() -> None:
    # The contract's own example: §4.2 "within three days" and §9.0 "within one working day".
    answer = triage_for("sandwell", "physical_abuse", perpetrators=POSITION_OF_TRUST)
    assert [(t["id"], t["hold_by"]) for t in answer["timescales"]] == [
        ("sandwell-9-0-one-working-day-particularly-complex", "2026-03-05T23:59:59+00:00"),
        ("sandwell-4-2-complex-three-days", "2026-03-07T23:59:59+00:00"),
        ("sandwell-9-0-three-working-days", "2026-03-09T23:59:59+00:00"),
    ]
    assert answer["hold_by"] == "2026-03-05T23:59:59+00:00"

    # Identified on the Friday: one working day is the Monday, three days is the Monday too.
    friday = triage_for(
        "sandwell", "physical_abuse", identified_at=FRIDAY, perpetrators=POSITION_OF_TRUST
    )
    assert timescale(friday, "sandwell-9-0-one-working-day-particularly-complex") == (
        "2026-03-09T23:59:59+00:00"
    )
    assert timescale(friday, "sandwell-4-2-complex-three-days") == "2026-03-09T23:59:59+00:00"
    assert friday["hold_by"] == "2026-03-09T23:59:59+00:00"


# --- Chair (§4.0, §4.3) ---------------------------------------------------------------


def test_sandwell_4_0_standard_meeting_chaired_by_social_work_unit_manager() -> None:
    chair = triage_for("sandwell", "neglect")["chair"]
    assert chair["rule"] == "sandwell-4-0-unit-manager"
    assert chair["minimum_grade"] == "team_manager"
    assert chair["source"] == f"{SOURCE} §4.0"
    assert chair["exceptions"] == []
    assert chair["allowed_grades"][0] == "team_manager"
    assert "social_worker" not in chair["allowed_grades"]

    # The national "any social worker" rule is replaced, not merely outranked.
    assert "wt2023-ch3-chair-social-care" not in chair_rules_also(triage_for("sandwell", "neglect"))

    complex_chair = triage_for("sandwell", "organised_abuse")["chair"]
    assert complex_chair["rule"] != "sandwell-4-0-unit-manager"
    assert "sandwell-4-0-unit-manager" in {other["rule"] for other in complex_chair["also"]}


def test_sandwell_4_0_complex_meeting_chaired_by_safeguarding_unit_or_senior_manager() -> None:
    rule = "sandwell-4-0-complex-safeguarding-service"
    chair = triage_for("sandwell", "physical_abuse", perpetrators=POSITION_OF_TRUST)["chair"]
    assert chair["rule"] == rule
    assert chair["minimum_grade"] == "service_manager"
    assert chair["allowed_grades"] == [
        "service_manager",
        "principal_officer",
        "head_of_service",
        "director",
    ]
    assert chair["exceptions"] == [
        {
            "grade": None,
            "condition": (
                "A chair from the Safeguarding Service (Safeguarding Unit), whatever their grade."
            ),
            "applies": None,
            "source": f"{SOURCE} §4.0",
        }
    ]

    # §4.0 names both kinds of complex meeting, including §4.3's manager-chaired ones.
    manager_chaired = triage_for("sandwell", "fabricated_or_induced_illness")["chair"]
    assert manager_chaired["rule"] == rule
    assert manager_chaired["minimum_grade"] == "service_manager"

    standard = triage_for("sandwell", "physical_abuse")["chair"]
    assert standard["rule"] != rule
    assert rule not in {other["rule"] for other in standard["also"]}


def test_sandwell_4_3_complex_meeting_chaired_by_an_appropriate_manager() -> None:
    rule = "sandwell-4-3-appropriate-manager"
    answer = triage_for("sandwell", "forced_marriage")
    also = {other["rule"]: other for other in answer["chair"]["also"]}
    assert rule in also
    assert also[rule]["source"] == f"{SOURCE} §4.3"

    assert rule not in chair_rules_also(triage_for("sandwell", "neglect"))
    # Two perpetrators is a Safeguarding Service meeting (§4.1), not a §4.3 one.
    assert rule not in chair_rules_also(triage_for("sandwell", "neglect", perpetrators=[{}, {}]))


# --- Attendees (§1.0, §3.0, §4.2, §5.0, §7.0, §8.0) -------------------------------------


def test_sandwell_3_0_minimum_attendees_manager_social_worker_police_education_health() -> None:
    answer = triage_for("sandwell", "neglect")
    assert set(required(answer)) == {"childrens_social_care", "police", "education", "health"}
    for code in ("childrens_social_care", "police", "education", "health"):
        assert required(answer)[code]["rule"] == "sandwell-3-0-minimum"
        assert required(answer)[code]["source"] == f"{SOURCE} §3.0"
    # Only what the case calls for beyond the minimum.
    assert "paediatrician" not in recommended(answer)
    assert "lado" not in recommended(answer)


def test_sandwell_national_minimum_attendees_still_apply() -> None:
    answer = triage_for("sandwell", "neglect")
    for code in ("childrens_social_care", "police", "health"):
        assert "wt2023-ch3-minimum-attendees" in rules_behind(required(answer)[code])
    # Education is Sandwell's addition, not the national minimum.
    assert "wt2023-ch3-minimum-attendees" not in rules_behind(required(answer)["education"])


def test_sandwell_3_0_referring_agency_invited_if_appropriate() -> None:
    answer = triage_for("sandwell", "neglect", referrer="school")
    assert recommended(answer)["referrer"]["rule"] == "sandwell-3-0-referrer"
    assert "referrer" not in required(answer)
    # Sandwell's clause replaces the national one.
    assert rules_behind(recommended(answer)["referrer"]) == {"sandwell-3-0-referrer"}

    assert "referrer" not in recommended(triage_for("sandwell", "neglect"))


def test_sandwell_1_0_fostering_service_involved_when_child_looked_after() -> None:
    answer = triage_for("sandwell", "physical_abuse", children=[child(looked_after=True)])
    assert required(answer)["carer"]["rule"] == "sandwell-1-0-fostering-service"
    assert required(answer)["carer"]["source"] == f"{SOURCE} §1.0"

    at_home = triage_for("sandwell", "physical_abuse", children=[child(looked_after=False)])
    assert "carer" not in required(at_home)
    assert "carer" not in recommended(at_home)


def test_sandwell_1_0_hospital_clinician_when_child_receiving_hospital_services() -> None:
    answer = triage_for("sandwell", "neglect", children=[child(in_hospital=True)])
    assert required(answer)["hospital_clinician"]["rule"] == "sandwell-1-0-hospital-clinician"

    assert "hospital_clinician" not in required(
        triage_for("sandwell", "neglect", children=[child(in_hospital=False)])
    )


def test_sandwell_7_0_medical_consultant_involved_when_child_is_hospital_patient() -> None:
    answer = triage_for("sandwell", "physical_abuse", children=[child(in_hospital=True)])
    assert "sandwell-7-0-hospital-consultant" in rules_behind(
        required(answer)["hospital_clinician"]
    )

    assert "hospital_clinician" not in required(triage_for("sandwell", "physical_abuse"))


def test_sandwell_3_0_home_authority_involved_when_child_ordinarily_resident_elsewhere() -> None:
    answer = triage_for("sandwell", "neglect", children=[child(home_authority="Birmingham")])
    assert required(answer)["home_local_authority"]["rule"] == "sandwell-3-0-home-authority"

    local = triage_for("sandwell", "neglect", children=[child(home_authority=None)])
    assert "home_local_authority" not in required(local)


def test_sandwell_3_0_youth_offending_service_invited_when_child_may_be_charged() -> None:
    answer = triage_for(
        "sandwell", "child_criminal_exploitation", children=[child(may_be_charged=True)]
    )
    item = required(answer)["youth_offending_service"]
    assert item["rule"] == "sandwell-3-0-youth-offending-service"
    assert item["source"] == f"{SOURCE} §3.0"

    victim_only = triage_for("sandwell", "child_criminal_exploitation", children=[child()])
    assert "youth_offending_service" not in required(victim_only)


def test_sandwell_3_0_legal_advisor_invited_when_required() -> None:
    answer = triage_for("sandwell", "neglect")
    assert recommended(answer)["legal"]["rule"] == "sandwell-3-0-legal-advisor"
    # "When required": a recommendation, never a required attendee on its own.
    assert "legal" not in required(answer)


def test_sandwell_3_0_consider_professional_with_expertise_in_the_form_of_abuse() -> None:
    answer = triage_for("sandwell", "fabricated_or_induced_illness")
    assert recommended(answer)["specialist_expert"]["rule"] == "sandwell-3-0-specialist-expert"
    # "Consideration should also be given": recommended, not required.
    assert "specialist_expert" not in required(answer)


def test_sandwell_3_0_adult_social_care_when_under_six_months_from_18_with_care_needs() -> None:
    # Identified 4 March 2026; 18 on 20 August 2026: less than six months away.
    nearly_18 = child(date_of_birth="2008-08-20", care_and_support_needs=True)
    answer = triage_for("sandwell", "child_criminal_exploitation", children=[nearly_18])
    item = required(answer)["adult_social_care"]
    assert item["rule"] == "sandwell-3-0-adult-social-care"
    assert item["source"] == f"{SOURCE} §3.0"

    # 18 on 5 September 2026: more than six months away.
    seventeen = child(date_of_birth="2008-09-05", care_and_support_needs=True)
    assert "adult_social_care" not in required(
        triage_for("sandwell", "child_criminal_exploitation", children=[seventeen])
    )
    no_needs = child(date_of_birth="2008-08-20", care_and_support_needs=False)
    assert "adult_social_care" not in required(
        triage_for("sandwell", "child_criminal_exploitation", children=[no_needs])
    )


def test_sandwell_4_2_domestic_abuse_service_when_adult_experiencing_domestic_abuse() -> None:
    answer = triage_for("sandwell", "emotional_abuse", flags=("parental_domestic_abuse",))
    item = required(answer)["domestic_abuse_service"]
    assert item["rule"] == "sandwell-4-2-domestic-abuse-service"
    assert item["source"] == f"{SOURCE} §4.2"

    assert "domestic_abuse_service" not in required(triage_for("sandwell", "emotional_abuse"))


def test_sandwell_4_2_agencies_the_household_needs_may_be_not_involved_not_police() -> None:
    """Sandwell §4.2's services are asked for because of the household's circumstances, so
    the convenor may record one as not involved; §5.0's police and health (asked for by the
    concern itself) and an unconditional rule may not."""
    sandwell = get_profile("sandwell")
    assert sandwell.from_household("sandwell-4-2-domestic-abuse-service")
    assert sandwell.from_household("sandwell-4-2-substance-misuse-service")
    assert not sandwell.from_household("sandwell-5-0-fgm-police-and-health")
    assert not sandwell.from_household("sandwell-3-0-legal-advisor")


def test_sandwell_4_2_substance_misuse_service_when_adult_misusing_substances() -> None:
    answer = triage_for("sandwell", "neglect", flags=("parental_substance_misuse",))
    item = required(answer)["substance_misuse_service"]
    assert item["rule"] == "sandwell-4-2-substance-misuse-service"

    assert "substance_misuse_service" not in required(
        triage_for("sandwell", "neglect", flags=("parental_mental_health",))
    )


def test_sandwell_4_2_adult_mental_health_when_adult_has_mental_illness() -> None:
    answer = triage_for("sandwell", "neglect", flags=("parental_mental_health",))
    item = required(answer)["adult_mental_health"]
    assert item["rule"] == "sandwell-4-2-adult-mental-health"

    assert "adult_mental_health" not in required(
        triage_for("sandwell", "neglect", flags=("parental_substance_misuse",))
    )


def test_sandwell_4_2_lado_consulted_on_allegation_against_person_in_position_of_trust() -> None:
    answer = triage_for("sandwell", "physical_abuse", perpetrators=POSITION_OF_TRUST)
    assert recommended(answer)["lado"]["rule"] == "sandwell-4-2-lado"
    assert "lado" not in required(answer)

    assert "lado" not in recommended(triage_for("sandwell", "physical_abuse", perpetrators=[{}]))


def test_sandwell_5_0_fgm_convened_with_police_and_health_at_a_minimum() -> None:
    answer = triage_for("sandwell", "fgm", children=[child(date_of_birth="2017-02-10")])
    for code in ("police", "health"):
        assert "sandwell-5-0-fgm-police-and-health" in rules_behind(required(answer)[code])
        assert any(other["source"] == f"{SOURCE} §5.0" for other in required(answer)[code]["also"])

    neglect = triage_for("sandwell", "neglect")
    assert "sandwell-5-0-fgm-police-and-health" not in rules_behind(required(neglect)["police"])


def test_sandwell_7_0_duty_paediatrician_helpful_when_medical_to_be_considered() -> None:
    rule = "sandwell-7-0-duty-paediatrician"
    injury = triage_for("sandwell", "physical_abuse")
    assert recommended(injury)["paediatrician"]["rule"] == rule
    assert "paediatrician" not in required(injury)

    serious_neglect = triage_for("sandwell", "neglect", flags=("serious_harm",))
    assert recommended(serious_neglect)["paediatrician"]["rule"] == rule

    assert "paediatrician" not in recommended(triage_for("sandwell", "emotional_abuse"))
    assert "paediatrician" not in recommended(triage_for("sandwell", "neglect"))


def test_sandwell_8_0_paediatrician_consulted_on_medical_for_sexual_abuse_or_fgm() -> None:
    rule = "sandwell-8-0-paediatrician-consulted"
    for concern in ("sexual_abuse", "penetrative_sexual_abuse", "fgm"):
        answer = triage_for("sandwell", concern)
        assert rule in rules_behind(recommended(answer)["paediatrician"]), concern

    injury = triage_for("sandwell", "physical_abuse")
    assert rule not in rules_behind(recommended(injury)["paediatrician"])


def test_sandwell_7_0_midwifery_services_in_pre_birth_discussion() -> None:
    answer = triage_for("sandwell", "neglect", children=[child(unborn=True, education="none")])
    item = required(answer)["midwifery"]
    assert item["rule"] == "sandwell-7-0-midwifery-pre-birth"
    assert item["source"] == f"{SOURCE} §7.0"

    assert "midwifery" not in required(triage_for("sandwell", "neglect", children=[child()]))


# --- Steps ----------------------------------------------------------------------------


def test_sandwell_1_0_record_reason_if_family_not_informed() -> None:
    answer = triage_for("sandwell", "neglect")
    item = steps(answer)["record_reason_if_family_not_informed"]
    assert item["rule"] == "sandwell-1-0-family-not-informed"
    assert item["source"] == f"{SOURCE} §1.0"
    # Sandwell's clause; the national baseline asks for no such step.
    assert "record_reason_if_family_not_informed" not in steps(triage_for("national", "neglect"))


def test_sandwell_1_0_section_47_starts_immediately_after_recent_child_protection_plan() -> None:
    for plan in ("ended_within_2_years", "current"):
        answer = triage_for("sandwell", "neglect", children=[child(cp_plan=plan)])
        item = steps(answer)["start_section_47"]
        assert item["rule"] == "sandwell-1-0-section-47-after-recent-plan", plan

    assert "start_section_47" not in steps(
        triage_for("sandwell", "neglect", children=[child(cp_plan="none")])
    )


def test_sandwell_3_0_inform_home_authority_as_soon_as_possible() -> None:
    answer = triage_for("sandwell", "neglect", children=[child(home_authority="Birmingham")])
    assert steps(answer)["inform_home_authority"]["rule"] == "sandwell-3-0-inform-home-authority"

    assert "inform_home_authority" not in steps(
        triage_for("sandwell", "neglect", children=[child()])
    )


def test_sandwell_4_2_manager_contacts_safeguarding_service_for_complex_meeting() -> None:
    rule = "sandwell-4-2-safeguarding-service"
    answer = triage_for("sandwell", "sexual_abuse", perpetrators=[{}, {}])
    assert steps(answer)["safeguarding_service_referral"]["rule"] == rule

    # §4.3 complex meetings are chaired by an SCT manager, not arranged with the Service.
    assert "safeguarding_service_referral" not in steps(triage_for("sandwell", "forced_marriage"))
    assert "safeguarding_service_referral" not in steps(triage_for("sandwell", "sexual_abuse"))


def test_sandwell_4_2_lado_referral_for_allegation_against_person_in_position_of_trust() -> None:
    answer = triage_for("sandwell", "physical_abuse", perpetrators=POSITION_OF_TRUST)
    item = steps(answer)["lado_referral"]
    assert item["rule"] == "sandwell-4-2-lado-referral"
    assert item["source"] == f"{SOURCE} §4.2"

    # More than one perpetrator, none in a position of trust: complex, but no LADO.
    assert "lado_referral" not in steps(
        triage_for("sandwell", "physical_abuse", perpetrators=[{}, {}])
    )


def test_sandwell_5_0_legal_advice_when_child_in_immediate_danger_of_mutilation() -> None:
    answer = triage_for("sandwell", "fgm", flags=("immediate_risk",))
    item = steps(answer)["legal_advice"]
    assert item["rule"] == "sandwell-5-0-fgm-legal-advice"
    assert item["source"] == f"{SOURCE} §5.0"

    assert "legal_advice" not in steps(triage_for("sandwell", "fgm"))
    assert "legal_advice" not in steps(
        triage_for("sandwell", "physical_abuse", flags=("immediate_risk",))
    )


def test_sandwell_7_0_consider_medical_for_injury_sexual_abuse_or_serious_neglect() -> None:
    rule = "sandwell-7-0-consider-medical"
    injury = triage_for("sandwell", "physical_abuse")
    assert steps(injury)["consider_medical_assessment"]["rule"] == rule
    assert steps(injury)["consider_medical_assessment"]["source"] == f"{SOURCE} §7.0"

    serious_neglect = triage_for("sandwell", "neglect", flags=("serious_harm",))
    assert steps(serious_neglect)["consider_medical_assessment"]["rule"] == rule

    assert "consider_medical_assessment" not in steps(triage_for("sandwell", "neglect"))
    assert "consider_medical_assessment" not in steps(triage_for("sandwell", "emotional_abuse"))


def test_sandwell_8_0_consider_medical_on_disclosure_of_sexual_abuse_or_risk_of_fgm() -> None:
    rule = "sandwell-8-0-consider-medical-sexual-abuse-fgm"
    for concern in ("sexual_abuse", "penetrative_sexual_abuse", "fgm"):
        item = steps(triage_for("sandwell", concern))["consider_medical_assessment"]
        assert rule in rules_behind(item), concern

    injury = steps(triage_for("sandwell", "physical_abuse"))["consider_medical_assessment"]
    assert rule not in rules_behind(injury)


def test_sandwell_7_0_child_with_physical_injury_seen_same_day() -> None:
    answer = triage_for("sandwell", "physical_abuse")
    item = steps(answer)["same_day_medical"]
    assert item["rule"] == "sandwell-7-0-same-day-physical-injury"
    assert item["source"] == f"{SOURCE} §7.0"
    infant = triage_for("sandwell", "injury_to_non_mobile_infant")
    assert "same_day_medical" in steps(infant)

    assert "same_day_medical" not in steps(triage_for("sandwell", "sexual_abuse"))
    assert "same_day_medical" not in steps(triage_for("sandwell", "neglect"))


# --- Clocks (§2.0, §4.2, §4.3, §11.0) -------------------------------------------------


def test_sandwell_11_0_action_points_circulated_within_one_working_day() -> None:
    standard = clocks_for("sandwell", held_at="2026-03-04T15:00:00")
    item = standard["decisions_circulated"]
    assert item["rule"] == "sandwell-11-0-action-points-one-working-day"
    assert item["due"] == "2026-03-05T23:59:59+00:00"
    assert item["source"] == f"{SOURCE} §11.0"
    assert "also" not in item

    friday = clocks_for("sandwell", identified_at=FRIDAY, held_at="2026-03-06T15:00:00")
    assert friday["decisions_circulated"]["due"] == "2026-03-09T23:59:59+00:00"

    # A complex meeting's 24 hours is stricter: one working day is reported beside it.
    complex_meeting = clocks_for("sandwell", discussion_type="complex")
    assert complex_meeting["decisions_circulated"]["rule"] != item["rule"]
    assert complex_meeting["decisions_circulated"]["also"][0]["rule"] == item["rule"]


def test_sandwell_4_2_complex_decisions_distributed_within_24_hours() -> None:
    answer = clocks_for("sandwell", held_at="2026-03-04T15:00:00", discussion_type="complex")
    item = answer["decisions_circulated"]
    assert item["rule"] == "sandwell-4-2-decisions-24-hours"
    assert item["due"] == "2026-03-05T15:00:00+00:00"
    assert item["also"] == [
        {
            "reason": (
                "Agreed action points, timescales, roles and responsibilities circulated to "
                "all parties within one working day."
            ),
            "source": f"{SOURCE} §11.0",
            "rule": "sandwell-11-0-action-points-one-working-day",
            "due": "2026-03-05T23:59:59+00:00",
        }
    ]

    # Held on a Friday: 24 hours runs into the weekend; one working day is Monday.
    friday = clocks_for(
        "sandwell", identified_at=FRIDAY, held_at="2026-03-06T15:00:00", discussion_type="complex"
    )
    assert friday["decisions_circulated"]["due"] == "2026-03-07T15:00:00+00:00"
    assert friday["decisions_circulated"]["also"][0]["due"] == "2026-03-09T23:59:59+00:00"

    # 24 hours are absolute: across the clocks going forward they end at 13:00 summer time.
    spring = clocks_for(
        "sandwell",
        identified_at="2026-03-28T09:00:00",
        held_at="2026-03-28T12:00:00",
        discussion_type="complex",
    )
    assert spring["decisions_circulated"]["due"] == "2026-03-29T13:00:00+01:00"

    standard = clocks_for("sandwell", held_at="2026-03-04T15:00:00", discussion_type="standard")
    assert standard["decisions_circulated"]["due"] == "2026-03-05T23:59:59+00:00"
    assert "also" not in standard["decisions_circulated"]


def test_sandwell_4_2_complex_minutes_distributed_within_five_working_days() -> None:
    answer = clocks_for("sandwell", discussion_type="complex")
    item = answer["minutes_distributed"]
    assert item["rule"] == "sandwell-4-2-minutes-five-working-days"
    assert item["due"] == "2026-03-11T23:59:59+00:00"
    assert item["source"] == f"{SOURCE} §4.2"

    easter = clocks_for(
        "sandwell",
        identified_at="2026-04-01T10:00:00",
        held_at="2026-04-01T14:00:00",
        discussion_type="complex",
    )
    assert easter["minutes_distributed"]["due"] == "2026-04-10T23:59:59+01:00"

    assert "minutes_distributed" not in clocks_for("sandwell", discussion_type="standard")


def test_sandwell_2_0_interval_between_discussions_not_more_than_28_days() -> None:
    item = clocks_for("sandwell", held_at="2026-03-04T15:00:00")["next_discussion_by"]
    assert item["rule"] == "sandwell-2-0-interval-28-days"
    # Calendar days, weekends and Easter included; summer time by then.
    assert item["due"] == "2026-04-01T23:59:59+01:00"
    assert item["source"] == f"{SOURCE} §2.0"

    # The national baseline sets no interval.
    assert "next_discussion_by" not in clocks_for("national")


def test_sandwell_2_0_process_concluded_within_three_months() -> None:
    item = clocks_for("sandwell", held_at="2026-03-04T15:00:00")["process_concluded"]
    assert item["rule"] == "sandwell-2-0-concluded-three-months"
    assert item["due"] == "2026-06-04T23:59:59+01:00"

    november = clocks_for(
        "sandwell", identified_at="2026-11-30T10:00:00", held_at="2026-11-30T15:00:00"
    )
    assert november["process_concluded"]["due"] == "2027-02-28T23:59:59+00:00"

    assert "process_concluded" not in clocks_for("national")


def test_sandwell_2_0_icpc_within_15_working_days_of_last_strategy_discussion() -> None:
    item = clocks_for("sandwell", held_at="2026-03-04T15:00:00", section_47=True)["icpc_held"]
    assert item["rule"] == "sandwell-2-0-icpc-15-working-days"
    assert item["due"] == "2026-03-25T23:59:59+00:00"
    assert item["source"] == f"{SOURCE} §2.0"

    # Held Monday 30 March 2026: Good Friday and Easter Monday do not count.
    easter = clocks_for(
        "sandwell",
        identified_at="2026-03-30T09:30:00",
        held_at="2026-03-30T14:00:00",
        section_47=True,
    )
    assert easter["icpc_held"]["due"] == "2026-04-22T23:59:59+01:00"

    assert "icpc_held" not in clocks_for("sandwell", section_47=False)


def test_sandwell_national_icpc_clock_still_reported_beside_sandwell_clause() -> None:
    item = clocks_for("sandwell", section_47=True)["icpc_held"]
    assert item["also"] == [
        {
            "reason": (
                "An initial child protection conference within 15 working days of the "
                "strategy discussion at which section 47 enquiries were initiated."
            ),
            "source": (
                "Working Together to Safeguard Children 2023 ch.3 Initial child protection "
                "conferences"
            ),
            "rule": "wt2023-ch3-icpc-15-working-days",
            "due": "2026-03-25T23:59:59+00:00",
        }
    ]
    assert "icpc_held" not in clocks_for("sandwell")


def test_sandwell_4_3_assessment_within_45_working_days_of_referral() -> None:
    # Counted from identification, not from the discussion; Easter and 4 May excluded.
    item = clocks_for("sandwell", identified_at=WEDNESDAY, held_at="2026-03-06T11:00:00")[
        "assessment_completed"
    ]
    assert item["rule"] == "sandwell-4-3-assessment-45-working-days"
    assert item["starts"] == "identified"
    assert item["due"] == "2026-05-11T23:59:59+01:00"
    assert item["source"] == f"{SOURCE} §4.3"


def test_sandwell_national_assessment_clock_still_reported_beside_sandwell_clause() -> None:
    item = clocks_for("sandwell")["assessment_completed"]
    assert [(other["rule"], other["due"]) for other in item["also"]] == [
        ("wt2023-ch3-assessment-45-working-days", "2026-05-11T23:59:59+01:00")
    ]


# --- Coverage -------------------------------------------------------------------------

COVERED = {
    "sandwell-4-1-position-of-trust",
    "sandwell-4-1-more-than-one-perpetrator",
    "sandwell-4-1-children-in-different-families",
    "sandwell-4-1-organised-or-ritualistic",
    "sandwell-4-3-manager-complex",
    "sandwell-1-0-meeting-after-child-protection-plan",
    "sandwell-1-0-ideally-face-to-face",
    "sandwell-4-1-complex-meeting",
    "sandwell-4-3-manager-meeting",
    "sandwell-9-0-three-working-days",
    "sandwell-1-0-immediate-discussion-emergency-action-needed",
    "sandwell-9-0-same-day-immediate-risk",
    "sandwell-9-0-same-day-sexual-abuse-forensic",
    "sandwell-9-0-one-working-day-emergency-action",
    "sandwell-9-0-one-working-day-particularly-complex",
    "sandwell-4-2-complex-three-days",
    "sandwell-4-0-unit-manager",
    "sandwell-4-0-complex-safeguarding-service",
    "sandwell-4-3-appropriate-manager",
    "sandwell-3-0-minimum",
    "sandwell-3-0-referrer",
    "sandwell-1-0-fostering-service",
    "sandwell-1-0-hospital-clinician",
    "sandwell-3-0-home-authority",
    "sandwell-3-0-youth-offending-service",
    "sandwell-3-0-legal-advisor",
    "sandwell-3-0-specialist-expert",
    "sandwell-3-0-adult-social-care",
    "sandwell-4-2-domestic-abuse-service",
    "sandwell-4-2-substance-misuse-service",
    "sandwell-4-2-adult-mental-health",
    "sandwell-4-2-lado",
    "sandwell-5-0-fgm-police-and-health",
    "sandwell-7-0-hospital-consultant",
    "sandwell-8-0-paediatrician-consulted",
    "sandwell-7-0-duty-paediatrician",
    "sandwell-7-0-midwifery-pre-birth",
    "wt2023-ch3-minimum-attendees",
    "sandwell-1-0-family-not-informed",
    "sandwell-1-0-section-47-after-recent-plan",
    "sandwell-3-0-inform-home-authority",
    "sandwell-4-2-safeguarding-service",
    "sandwell-4-2-lado-referral",
    "sandwell-5-0-fgm-legal-advice",
    "sandwell-7-0-consider-medical",
    "sandwell-8-0-consider-medical-sexual-abuse-fgm",
    "sandwell-7-0-same-day-physical-injury",
    "sandwell-11-0-action-points-one-working-day",
    "sandwell-4-2-decisions-24-hours",
    "sandwell-4-2-minutes-five-working-days",
    "sandwell-2-0-interval-28-days",
    "sandwell-2-0-concluded-three-months",
    "sandwell-2-0-icpc-15-working-days",
    "sandwell-4-3-assessment-45-working-days",
    "wt2023-ch3-icpc-15-working-days",
    "wt2023-ch3-assessment-45-working-days",
}


def test_every_sandwell_rule_has_a_test_here() -> None:
    profile = get_profile("sandwell")
    ids = {compiled.rule.id for rules in profile.rules.values() for compiled in rules}
    assert ids == COVERED


def test_every_sandwell_rule_cites_a_section_of_the_seed() -> None:
    profile = get_profile("sandwell")
    for rules in profile.rules.values():
        for compiled in rules:
            if compiled.rule.id.startswith("sandwell-"):
                assert compiled.citation.startswith(f"{SOURCE} §"), compiled.rule.id


# --- §10.0 Agenda -----------------------------------------------------------------------


def test_sandwell_agenda_is_the_10_0_list_in_order() -> None:
    agenda = get_profile("sandwell").agenda

    assert [item.title for item in agenda] == [
        "Share all available information",
        "How the child's wishes and feelings will be found out",
        "The needs of any other children who may be affected",
        "The assessment and action points, if already in place",
        "Whether a section 47 enquiry and assessment should start or continue",
        "Co-ordinate and plan the section 47 enquiry",
        "Whether a single-agency or a joint enquiry or investigation is needed",
        "Immediate and short-term action to safeguard the child",
        "Whether urgent action is needed to remove the child or the alleged perpetrator",
        "Contact and a safe discharge, if the child is in hospital",
        "A contingency plan if the child cannot be found",
        "The conduct and timing of any criminal investigation",
        "Obtaining consent to interviews and assessments of the child",
        "How the child and family will be supported during the process",
        "What will be shared with the family",
        "Disclosing to third parties sensitive information about a person who poses a risk",
        "Telling a parent or carer of the risk from a third party",
        "How information will be obtained and shared with the family",
        "Whether legal advice is needed",
        "A press strategy, if relevant",
        "Timescales and responsibilities for every action",
        "Risks from a history of violence or threats towards professionals",
        "Feedback to each other and further strategy discussions",
    ]
    assert {item.source for item in agenda} == {"§10.0"}
