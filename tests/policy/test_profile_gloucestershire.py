"""Gloucestershire Strategy Discussion Guidance 2023: one test per rule, named after its clause.

The guidance (seeds/003_d9dc6ed7629d3148.txt) has no numbered sections; each test names
the heading its rule comes from. Times are London time: 2026-03-04 is a Wednesday, the
clocks go forward on Sunday 29 March 2026, and 25 and 28 December 2026 are bank holidays.
"""

from __future__ import annotations

import re
from pathlib import Path
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

PROFILE = "gloucestershire"
SOURCE = "003_d9dc6ed7629d3148.txt"

TWO_WORKING_DAYS = "gloucestershire-timescales-two-working-days"


def glos(*concerns: str, **kwargs: Any) -> dict[str, Any]:
    """A Gloucestershire triage answer for a case described in a line."""
    return triage_for(PROFILE, *concerns, **kwargs)


def child(**fields: Any) -> dict[str, Any]:
    """One child of the facts, with only the fields that matter to the test."""
    return {"id": "c1", **fields}


def staff_member() -> list[dict[str, Any]]:
    """An alleged perpetrator in a position of trust (a member of staff)."""
    return [{"position_of_trust": True}]


def meeting_recommended_by(answer: dict[str, Any]) -> set[str]:
    """The ids of the rules that say a meeting may be more effective."""
    return {reason["rule"] for reason in answer["meeting_recommended"]}


# --- The profile -------------------------------------------------------------------


def test_gloucestershire_extends_national_and_cites_its_guidance() -> None:
    profile = get_profile(PROFILE)

    assert profile.extends == "national"
    assert profile.source_file == SOURCE
    assert profile.rule("gloucestershire-timescales-two-working-days").citation == (
        f"{SOURCE} §Timescales of holding a Strategy Discussion"
    )


def test_gloucestershire_replaces_the_national_chair_and_referrer_rules() -> None:
    profile = get_profile(PROFILE)

    for replaced in ("wt2023-ch3-chair-social-care", "wt2023-ch3-referrer"):
        try:
            profile.rule(replaced)
        except KeyError:
            continue
        raise AssertionError(f"{replaced} should be replaced by the Gloucestershire rule")
    # The national minimum attendees and clocks are kept.
    assert profile.rule("wt2023-ch3-minimum-attendees")
    assert profile.rule("wt2023-ch3-icpc-15-working-days")


# --- §What is a Strategy Discussion? / §Timescales: complex discussions ----------------


def test_gloucestershire_timescales_particularly_complex_for_allegation_against_staff() -> None:
    answer = glos("physical_abuse", perpetrators=staff_member())

    assert answer["discussion_type"] == "complex"
    assert "gloucestershire-timescales-particularly-complex" in complex_rules(answer)


def test_gloucestershire_timescales_particularly_complex_for_organised_abuse() -> None:
    answer = glos("organised_abuse")

    assert answer["discussion_type"] == "complex"
    assert "gloucestershire-timescales-particularly-complex" in complex_rules(answer)


def test_gloucestershire_timescales_parent_as_perpetrator_is_not_particularly_complex() -> None:
    answer = glos("physical_abuse", perpetrators=[{"position_of_trust": False}])

    assert answer["discussion_type"] == "standard"
    assert answer["complex_reasons"] == []


def test_gloucestershire_what_is_complex_maltreatment_for_fabricated_or_induced_illness() -> None:
    answer = glos("fabricated_or_induced_illness")

    assert answer["discussion_type"] == "complex"
    assert complex_rules(answer) == {"gloucestershire-what-is-complex-maltreatment"}


def test_gloucestershire_what_is_complex_maltreatment_not_for_neglect() -> None:
    answer = glos("neglect")

    assert answer["discussion_type"] == "standard"
    assert "gloucestershire-what-is-complex-maltreatment" not in complex_rules(answer)


# --- §What is a Strategy Discussion?: when a meeting may be more effective --------------


def test_gloucestershire_what_is_meeting_recommended_for_complex_maltreatment() -> None:
    fii = glos("fabricated_or_induced_illness")
    staff = glos("sexual_abuse", perpetrators=staff_member())

    assert "gloucestershire-what-is-meeting-complex-maltreatment" in meeting_recommended_by(fii)
    assert "gloucestershire-what-is-meeting-complex-maltreatment" in meeting_recommended_by(staff)
    assert fii["meeting_required"] is False


def test_gloucestershire_what_is_meeting_not_recommended_for_simple_neglect() -> None:
    answer = glos("neglect")

    assert answer["meeting_recommended"] == []
    assert answer["meeting_required"] is False


def test_gloucestershire_what_is_meeting_recommended_for_child_on_child_abuse() -> None:
    answer = glos("child_on_child_abuse")

    assert meeting_recommended_by(answer) == {"gloucestershire-what-is-meeting-child-on-child"}
    assert "gloucestershire-what-is-meeting-child-on-child" not in meeting_recommended_by(
        glos("sexual_abuse")
    )


def test_gloucestershire_what_is_meeting_recommended_for_extra_familial_risk() -> None:
    rule = "gloucestershire-what-is-meeting-extra-familial-risk"

    assert rule in meeting_recommended_by(glos("child_sexual_exploitation"))
    assert rule in meeting_recommended_by(glos("child_criminal_exploitation"))
    assert rule not in meeting_recommended_by(glos("missing"))


def test_gloucestershire_what_is_meeting_recommended_for_ongoing_cumulative_concerns() -> None:
    rule = "gloucestershire-what-is-meeting-cumulative-concerns"

    assert rule in meeting_recommended_by(glos("neglect", children=[child(cp_plan="current")]))
    assert rule in meeting_recommended_by(glos("neglect", children=[child(looked_after=True)]))
    assert rule in meeting_recommended_by(glos("neglect", flags=("open_to_childrens_social_care",)))


def test_gloucestershire_what_is_meeting_not_recommended_after_a_plan_has_ended() -> None:
    answer = glos("neglect", children=[child(cp_plan="ended_within_2_years")])

    assert "gloucestershire-what-is-meeting-cumulative-concerns" not in meeting_recommended_by(
        answer
    )


def test_gloucestershire_what_is_meeting_recommended_for_unborn_child() -> None:
    answer = glos("neglect", children=[child(unborn=True, education="none")])

    assert meeting_recommended_by(answer) == {"gloucestershire-what-is-meeting-unborn"}
    assert "gloucestershire-what-is-meeting-unborn" not in meeting_recommended_by(
        glos("neglect", children=[child(date_of_birth="2026-01-10", education="none")])
    )


def test_gloucestershire_what_is_telephone_usually_adequate_so_no_meeting_is_required() -> None:
    answer = glos(
        "fabricated_or_induced_illness",
        "child_on_child_abuse",
        "child_sexual_exploitation",
        children=[child(unborn=True, cp_plan="current")],
        perpetrators=staff_member(),
    )

    assert len(answer["meeting_recommended"]) == 5
    assert answer["meeting_required"] is False
    assert answer["meeting_reasons"] == []


# --- §Timescales of holding a Strategy Discussion -------------------------------------


def test_gloucestershire_timescales_two_working_days_from_wednesday() -> None:
    answer = glos("neglect", identified_at=WEDNESDAY)

    assert answer["hold_by"] == "2026-03-06T23:59:59+00:00"
    assert timescale(answer, TWO_WORKING_DAYS) == "2026-03-06T23:59:59+00:00"
    assert (
        answer["timescales"][0]["source"]
        == f"{SOURCE} §Timescales of holding a Strategy Discussion"
    )


def test_gloucestershire_timescales_two_working_days_from_friday_crosses_the_weekend() -> None:
    answer = glos("neglect", identified_at=FRIDAY)

    assert answer["hold_by"] == "2026-03-10T23:59:59+00:00"


def test_gloucestershire_timescales_two_working_days_skip_christmas_bank_holidays() -> None:
    # 25 December and Monday 28 December (substitute Boxing Day) are bank holidays.
    answer = glos("neglect", identified_at="2026-12-24T10:00:00")

    assert answer["hold_by"] == "2026-12-30T23:59:59+00:00"


def test_gloucestershire_timescales_two_working_days_across_the_clocks_change() -> None:
    answer = glos("neglect", identified_at="2026-03-27T10:00:00")

    assert answer["hold_by"] == "2026-03-31T23:59:59+01:00"


def test_gloucestershire_timescales_two_working_days_do_not_apply_to_the_exceptions() -> None:
    assert timescale(glos("physical_abuse", flags=("serious_harm",)), TWO_WORKING_DAYS) is None
    assert timescale(glos("neglect", flags=("immediate_risk",)), TWO_WORKING_DAYS) is None
    assert timescale(glos("organised_abuse"), TWO_WORKING_DAYS) is None
    assert (
        timescale(glos("penetrative_sexual_abuse", flags=("forensic_window",)), TWO_WORKING_DAYS)
        is None
    )


def test_gloucestershire_timescales_same_day_for_serious_harm() -> None:
    answer = glos("physical_abuse", flags=("serious_harm",))

    assert answer["hold_by"] == "2026-03-04T23:59:59+00:00"
    assert timescale(answer, "gloucestershire-timescales-same-day-serious-harm") == (
        "2026-03-04T23:59:59+00:00"
    )


def test_gloucestershire_timescales_no_same_day_without_serious_harm() -> None:
    answer = glos("physical_abuse")

    assert timescale(answer, "gloucestershire-timescales-same-day-serious-harm") is None
    assert answer["hold_by"] == "2026-03-06T23:59:59+00:00"


def test_gloucestershire_timescales_same_day_for_penetrative_abuse_forensic() -> None:
    answer = glos("penetrative_sexual_abuse", flags=("forensic_window",))

    assert answer["hold_by"] == "2026-03-04T23:59:59+00:00"
    assert timescale(answer, "gloucestershire-timescales-same-day-penetrative-forensic") == (
        "2026-03-04T23:59:59+00:00"
    )


def test_gloucestershire_timescales_penetrative_abuse_no_forensic_need() -> None:
    rule = "gloucestershire-timescales-same-day-penetrative-forensic"
    no_forensic_need = glos("penetrative_sexual_abuse")
    not_penetrative = glos("sexual_abuse", flags=("forensic_window",))

    assert timescale(no_forensic_need, rule) is None
    assert no_forensic_need["hold_by"] == "2026-03-06T23:59:59+00:00"
    assert timescale(not_penetrative, rule) is None


def test_gloucestershire_timescales_one_working_day_where_immediate_action_required() -> None:
    rule = "gloucestershire-timescales-one-working-day-immediate-action"
    immediate = glos("physical_abuse", flags=("immediate_risk",))
    emergency_from_friday = glos(
        "physical_abuse", identified_at=FRIDAY, flags=("emergency_action_taken",)
    )

    assert immediate["hold_by"] == "2026-03-05T23:59:59+00:00"
    assert timescale(immediate, rule) == "2026-03-05T23:59:59+00:00"
    assert emergency_from_friday["hold_by"] == "2026-03-09T23:59:59+00:00"


def test_gloucestershire_timescales_no_one_working_day_without_immediate_action() -> None:
    answer = glos("physical_abuse")

    assert timescale(answer, "gloucestershire-timescales-one-working-day-immediate-action") is None


def test_gloucestershire_timescales_five_working_days_maximum_when_particularly_complex() -> None:
    rule = "gloucestershire-timescales-five-working-days-complex"
    staff = glos("physical_abuse", perpetrators=staff_member())

    assert staff["hold_by"] == "2026-03-11T23:59:59+00:00"
    assert timescale(staff, rule) == "2026-03-11T23:59:59+00:00"
    assert timescale(glos("organised_abuse"), rule) == "2026-03-11T23:59:59+00:00"
    assert timescale(glos("physical_abuse"), rule) is None


def test_gloucestershire_timescales_complex_sooner_where_immediate_protection_needed() -> None:
    answer = glos("organised_abuse", flags=("immediate_risk",))

    assert answer["hold_by"] == "2026-03-05T23:59:59+00:00"
    assert timescale(answer, "gloucestershire-timescales-five-working-days-complex") == (
        "2026-03-11T23:59:59+00:00"
    )


# --- §Involving Parents, Family Members and Children -----------------------------------


def test_gloucestershire_involving_parents_whereabouts_unknown_within_24_hours() -> None:
    answer = glos("missing", flags=("whereabouts_unknown",))

    assert answer["hold_by"] == "2026-03-05T10:00:00+00:00"
    assert (
        timescale(answer, "gloucestershire-involving-parents-whereabouts-unknown-24-hours")
        == "2026-03-05T10:00:00+00:00"
    )


def test_gloucestershire_involving_parents_24_hours_across_clocks_change() -> None:
    answer = glos("missing", identified_at="2026-03-28T10:00:00", flags=("whereabouts_unknown",))

    assert answer["hold_by"] == "2026-03-29T11:00:00+01:00"


def test_gloucestershire_involving_parents_no_24_hours_when_whereabouts_known() -> None:
    answer = glos("missing")

    assert (
        timescale(answer, "gloucestershire-involving-parents-whereabouts-unknown-24-hours") is None
    )


def test_gloucestershire_involving_parents_whereabouts_unknown_discussion_with_police() -> None:
    answer = glos("missing", flags=("whereabouts_unknown",))

    assert "gloucestershire-involving-parents-whereabouts-unknown-police" in rules_behind(
        required(answer)["police"]
    )
    assert "gloucestershire-involving-parents-whereabouts-unknown-police" not in rules_behind(
        required(glos("missing"))["police"]
    )


def test_gloucestershire_involving_parents_access_refused_includes_legal() -> None:
    answer = glos("neglect", flags=("access_refused",))

    assert (
        required(answer)["legal"]["rule"]
        == "gloucestershire-involving-parents-access-refused-legal"
    )
    assert "legal" not in required(glos("neglect"))
    assert "legal" not in recommended(glos("neglect"))


def test_gloucestershire_involving_parents_access_refused_seek_legal_advice() -> None:
    answer = glos("neglect", flags=("access_refused",))

    assert steps(answer)["legal_advice"]["rule"] == (
        "gloucestershire-involving-parents-access-refused-legal-advice"
    )
    assert "legal_advice" not in steps(glos("neglect"))


def test_gloucestershire_involving_parents_record_reason_if_family_not_informed() -> None:
    item = steps(glos("neglect"))["record_reason_if_family_not_informed"]

    assert item["rule"] == "gloucestershire-involving-parents-family-not-informed"
    assert item["source"] == f"{SOURCE} §Involving Parents, Family Members and Children"


def test_gloucestershire_single_agency_csc_manager_records_rationale() -> None:
    item = steps(glos("neglect"))["record_reason_if_family_not_informed"]

    assert "gloucestershire-single-agency-csc-record-rationale" in rules_behind(item)


# --- §Who should attend the strategy discussion? -------------------------------------


def test_gloucestershire_who_should_attend_chaired_by_first_line_manager() -> None:
    chair = glos("neglect")["chair"]

    assert chair["minimum_grade"] == "team_manager"
    assert chair["rule"] == "gloucestershire-who-should-attend-first-line-manager"
    assert chair["also"] == []
    assert chair["allowed_grades"][0] == "team_manager"
    assert "social_worker" not in chair["allowed_grades"]


def test_gloucestershire_who_should_attend_minimum_social_care_police_health() -> None:
    answer = glos("neglect", children=[child(education="none")])

    assert set(required(answer)) == {"childrens_social_care", "police", "health"}
    for code in ("childrens_social_care", "police", "health"):
        assert "gloucestershire-who-should-attend-minimum" in rules_behind(required(answer)[code])


def test_gloucestershire_who_should_attend_referrer_may_be_invited() -> None:
    answer = glos("neglect", referrer="health_visitor")

    assert recommended(answer)["referrer"]["rule"] == "gloucestershire-who-should-attend-referrer"
    assert rules_behind(recommended(answer)["referrer"]) == {
        "gloucestershire-who-should-attend-referrer"
    }
    assert "referrer" not in required(answer)
    assert "referrer" not in recommended(glos("neglect"))


def test_gloucestershire_who_should_attend_foster_carer_for_child_in_care() -> None:
    answer = glos("neglect", children=[child(looked_after=True)])

    assert required(answer)["carer"]["rule"] == "gloucestershire-who-should-attend-carer"
    assert "carer" not in required(glos("neglect", children=[child(looked_after=False)]))


def test_gloucestershire_who_should_attend_school_representative() -> None:
    answer = glos("neglect", children=[child(education="school")])

    assert required(answer)["education"]["rule"] == "gloucestershire-who-should-attend-school"
    assert "education" not in required(glos("neglect", children=[child(education="none")]))


def test_gloucestershire_who_should_attend_pre_school_or_college_representative() -> None:
    rule = "gloucestershire-who-should-attend-pre-school-or-college"
    nursery = glos("neglect", children=[child(education="pre_school")])
    college = glos("neglect", children=[child(education="college")])
    school = glos("neglect", children=[child(education="school")])

    assert required(nursery)["education"]["rule"] == rule
    assert required(college)["education"]["rule"] == rule
    assert rule not in rules_behind(required(school)["education"])


def test_gloucestershire_who_should_attend_education_officer_when_not_on_roll() -> None:
    answer = glos("neglect", children=[child(education="not_on_roll")])

    assert required(answer)["education_officer"]["rule"] == (
        "gloucestershire-who-should-attend-education-officer"
    )
    assert "education" not in required(answer)
    assert "education_officer" not in required(
        glos("neglect", children=[child(education="school")])
    )


def test_gloucestershire_who_should_attend_paediatrician_for_medical_implications() -> None:
    rule = "gloucestershire-who-should-attend-paediatrician"

    assert (
        required(glos("neglect", flags=("medical_implications",)))["paediatrician"]["rule"] == rule
    )
    assert (
        required(glos("physical_abuse", flags=("serious_harm",)))["paediatrician"]["rule"] == rule
    )


def test_gloucestershire_who_should_attend_paediatrician_for_non_mobile_infant_injury() -> None:
    answer = glos(
        "injury_to_non_mobile_infant",
        children=[child(date_of_birth="2025-11-01", education="none")],
    )

    assert (
        required(answer)["paediatrician"]["rule"]
        == "gloucestershire-who-should-attend-paediatrician"
    )


def test_gloucestershire_who_should_attend_paediatrician_for_fabricated_or_induced_illness() -> (
    None
):
    answer = glos("fabricated_or_induced_illness")

    assert (
        required(answer)["paediatrician"]["rule"]
        == "gloucestershire-who-should-attend-paediatrician"
    )


def test_gloucestershire_who_should_attend_no_paediatrician_without_medical_implications() -> None:
    answer = glos("emotional_abuse")

    assert "paediatrician" not in required(answer)
    assert "paediatrician" not in recommended(answer)


def test_gloucestershire_who_should_attend_specialist_expertise_may_be_included() -> None:
    item = recommended(glos("neglect"))["specialist_expert"]

    assert item["rule"] == "gloucestershire-who-should-attend-specialist"


# --- §Agencies involved in a Strategy Discussion -------------------------------------


def test_gloucestershire_agencies_involved_statutory_social_care_police_health() -> None:
    answer = glos("neglect")

    for code in ("childrens_social_care", "police", "health"):
        assert "gloucestershire-agencies-involved-statutory" in rules_behind(required(answer)[code])


def test_gloucestershire_agencies_involved_education_nursery_or_college() -> None:
    rule = "gloucestershire-agencies-involved-education"

    for setting in ("school", "pre_school", "college"):
        answer = glos("neglect", children=[child(education=setting)])
        assert rule in rules_behind(required(answer)["education"]), setting
    assert "education" not in required(glos("neglect", children=[child(unborn=True)]))


def test_gloucestershire_agencies_involved_care_provider_for_child_in_care() -> None:
    answer = glos("neglect", children=[child(looked_after=True)])

    assert "gloucestershire-agencies-involved-care-provider" in rules_behind(
        required(answer)["carer"]
    )
    assert "carer" not in recommended(glos("neglect"))


def test_gloucestershire_agencies_involved_probation_and_specialist_depending_on_risk() -> None:
    answer = glos("neglect")

    assert recommended(answer)["probation"]["rule"] == (
        "gloucestershire-agencies-involved-depending-on-risk"
    )
    assert "gloucestershire-agencies-involved-depending-on-risk" in rules_behind(
        recommended(answer)["specialist_expert"]
    )
    assert "probation" not in required(answer)


# --- §Medical Assessments -------------------------------------------------------------


def test_gloucestershire_medical_assessments_consider_child_protection_medical() -> None:
    answer = glos("physical_abuse")

    assert steps(answer)["consider_medical_assessment"]["rule"] == (
        "gloucestershire-medical-assessments-consider-medical"
    )
    assert "consider_medical_assessment" not in steps(glos("emotional_abuse"))


def test_gloucestershire_agenda_record_reasoning_if_no_medical() -> None:
    item = steps(glos("sexual_abuse"))["consider_medical_assessment"]

    assert "gloucestershire-agenda-record-if-no-medical" in rules_behind(item)


def test_gloucestershire_medical_assessments_paediatrician_for_acute_sexual_abuse() -> None:
    rule = "gloucestershire-medical-assessments-acute-sexual-abuse-paediatrician"
    acute = glos("penetrative_sexual_abuse", flags=("forensic_window",))
    not_acute = glos("sexual_abuse")

    assert recommended(acute)["paediatrician"]["rule"] == rule
    assert "paediatrician" not in required(acute)
    assert "paediatrician" not in recommended(not_acute)


def test_gloucestershire_medical_assessments_paediatrician_required_wins_over_recommended() -> None:
    answer = glos("sexual_abuse", flags=("forensic_window", "medical_implications"))

    assert (
        required(answer)["paediatrician"]["rule"]
        == "gloucestershire-who-should-attend-paediatrician"
    )
    assert "paediatrician" not in recommended(answer)


# --- Steps from §What is a Strategy Discussion? and §Agenda -----------------------------


def test_gloucestershire_what_is_consider_separate_discussion_for_each_child() -> None:
    answer = glos("child_on_child_abuse")

    assert steps(answer)["separate_discussion_per_child"]["rule"] == (
        "gloucestershire-what-is-separate-discussion-per-child"
    )
    assert "separate_discussion_per_child" not in steps(
        glos("sexual_abuse", children=[child(), child(id="c2")])
    )


def test_gloucestershire_agenda_inform_designated_officer_for_position_of_trust() -> None:
    answer = glos("physical_abuse", perpetrators=staff_member())

    assert (
        steps(answer)["lado_referral"]["rule"] == "gloucestershire-agenda-inform-designated-officer"
    )
    assert "lado_referral" not in steps(
        glos("physical_abuse", perpetrators=[{"position_of_trust": False}])
    )


def test_gloucestershire_single_agency_police_notify_designated_officer() -> None:
    item = steps(glos("sexual_abuse", perpetrators=staff_member()))["lado_referral"]

    assert "gloucestershire-single-agency-police-notify-designated-officer" in rules_behind(item)


# --- §Dispute Resolution and Escalation Procedure -------------------------------------


def test_gloucestershire_dispute_resolution_out_of_hours_senior_attendees() -> None:
    rule = "gloucestershire-dispute-resolution-out-of-hours"
    evening = glos("physical_abuse", identified_at="2026-03-04T19:30:00")
    saturday = glos("physical_abuse", identified_at="2026-03-07T11:00:00")

    assert evening["out_of_hours"] is True
    for code in ("childrens_social_care", "health", "police"):
        assert rule in rules_behind(required(evening)[code]), code
    assert rule in rules_behind(required(saturday)["police"])


def test_gloucestershire_dispute_resolution_no_out_of_hours_rule_in_office_hours() -> None:
    answer = glos("physical_abuse", identified_at=WEDNESDAY)

    assert answer["out_of_hours"] is False
    assert "gloucestershire-dispute-resolution-out-of-hours" not in rules_behind(
        required(answer)["police"]
    )


# --- §Recording of Strategy Discussions and the ICPC -----------------------------------


def test_gloucestershire_recording_minutes_shared_within_48_hours() -> None:
    minutes = clocks_for(PROFILE, held_at="2026-03-04T15:00:00")["minutes_distributed"]

    assert minutes["due"] == "2026-03-06T15:00:00+00:00"
    assert minutes["rule"] == "gloucestershire-recording-minutes-48-hours"


def test_gloucestershire_recording_minutes_48_hours_across_the_clocks_change() -> None:
    minutes = clocks_for(
        PROFILE, identified_at="2026-03-27T10:00:00", held_at="2026-03-27T15:00:00"
    )["minutes_distributed"]

    assert minutes["due"] == "2026-03-29T16:00:00+01:00"


def test_gloucestershire_recording_decisions_shared_within_48_hours() -> None:
    decisions = clocks_for(PROFILE, held_at="2026-03-04T15:00:00")["decisions_circulated"]

    assert decisions["due"] == "2026-03-06T15:00:00+00:00"
    assert decisions["rule"] == "gloucestershire-recording-decisions-48-hours"


def test_gloucestershire_timescales_icpc_within_15_working_days_of_the_discussion() -> None:
    icpc = clocks_for(PROFILE, held_at="2026-03-04T15:00:00", section_47=True)["icpc_held"]

    assert icpc["due"] == "2026-03-25T23:59:59+00:00"
    assert rules_behind(icpc) == {
        "gloucestershire-timescales-icpc-15-working-days",
        "wt2023-ch3-icpc-15-working-days",
    }


def test_gloucestershire_timescales_no_icpc_clock_without_section_47() -> None:
    answer = clocks_for(PROFILE, held_at="2026-03-04T15:00:00", section_47=False)

    assert "icpc_held" not in answer
    assert set(answer) == {"minutes_distributed", "decisions_circulated", "assessment_completed"}


# --- §Agenda ----------------------------------------------------------------------------


def test_gloucestershire_agenda_follows_the_guidance_in_order() -> None:
    agenda = get_profile(PROFILE).agenda

    assert [item.title for item in agenda] == [
        "Introduction and apologies",
        "Family and household members",
        "Reason for and purpose of the strategy discussion",
        "Details of the causes of concern",
        "Relevant background information",
        "Decisions",
        "Plan the investigation or enquiries",
        "Agree the action plan",
        "Distribution of meeting notes",
    ]
    assert {item.source for item in agenda} == {"§Agenda"}


# --- §Agenda: distribution of meeting notes --------------------------------------------


def recipients(answer: dict[str, Any]) -> list[str]:
    return [item["rule"] for item in answer["distribution"]]


def test_gloucestershire_agenda_notes_go_to_gp_school_nursing_dsl_and_health() -> None:
    answer = glos("neglect", children=[child(date_of_birth="2016-05-01")])

    assert recipients(answer) == [
        "gloucestershire-agenda-gp",
        "gloucestershire-agenda-school-nursing",
        "gloucestershire-agenda-other-health",
        "gloucestershire-agenda-designated-safeguarding-lead",
    ]
    assert {item["source"] for item in answer["distribution"]} == {f"{SOURCE} §Agenda"}


def test_gloucestershire_agenda_notes_go_to_the_health_visitor_for_an_under_five() -> None:
    answer = glos("neglect", children=[child(date_of_birth="2024-05-01", education="pre_school")])

    assert "gloucestershire-agenda-health-visitor" in recipients(answer)
    assert "gloucestershire-agenda-school-nursing" not in recipients(answer)


def test_gloucestershire_agenda_notes_go_to_the_midwife_for_an_unborn_baby() -> None:
    answer = glos("neglect", children=[child(unborn=True)])

    assert "gloucestershire-agenda-midwife" in recipients(answer)
    assert "gloucestershire-agenda-health-visitor" in recipients(answer)
    assert "gloucestershire-agenda-designated-safeguarding-lead" not in recipients(answer)
    assert "gloucestershire-agenda-midwife" not in recipients(glos("neglect"))


# --- Coverage ---------------------------------------------------------------------------


def test_every_gloucestershire_rule_has_a_test_here() -> None:
    profile = get_profile(PROFILE)
    own = {
        compiled.rule.id
        for rules in profile.rules.values()
        for compiled in rules
        if compiled.rule.id.startswith("gloucestershire-")
    }
    body = Path(__file__).read_text()
    mentioned = set(re.findall(r'"(gloucestershire-[a-z0-9-]+)"', body))

    assert own, "the profile has no rules of its own"
    assert own - mentioned == set()
