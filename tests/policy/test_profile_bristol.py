"""The Bristol profile, clause by clause (seeds/001_2d544eb75ad81283.txt).

One test per rule, named after the clause it encodes, each with the case where the rule
must not apply. ``covers`` records which rule each test exercises; the last tests check
that every rule of the profile has a test and which national rules are kept.
"""

from __future__ import annotations

from typing import Any

import pytest

from strategise.policy import get_profile

from .support import (
    FRIDAY,
    WEDNESDAY,
    clocks_for,
    complex_rules,
    recommended,
    required,
    rule_coverage,
    rules_behind,
    steps,
    timescale,
    triage_for,
)

PROFILE = "bristol"
SOURCE = "001_2d544eb75ad81283.txt"
CS = "§6 Contextual safeguarding"
SATURDAY_NIGHT = "2026-03-07T23:10:00"

COVERED, covers = rule_coverage()


def child(**fields: Any) -> dict[str, Any]:
    """A school-age child; ``fields`` override the contract's defaults."""
    return {"date_of_birth": "2016-09-01", **fields}


def triage(*concerns: str, **kwargs: Any) -> dict[str, Any]:
    kwargs.setdefault("children", [child()])
    return triage_for(PROFILE, *concerns, **kwargs)


def codes(items: dict[str, dict[str, Any]]) -> list[str]:
    return list(items)


# §3.1 The meeting ---------------------------------------------------------------------


@covers("bristol-3-1-online-or-in-person")
def test_bristol_3_1_meeting_online_or_in_person_is_required() -> None:
    for answer in (
        triage("neglect"),
        triage("child_criminal_exploitation", identified_at=SATURDAY_NIGHT),
        triage("organised_abuse"),
    ):
        assert answer["meeting_required"] is True
        assert [r["rule"] for r in answer["meeting_reasons"]] == ["bristol-3-1-online-or-in-person"]
        assert answer["meeting_reasons"][0]["source"] == f"{SOURCE} §3.1"
        assert answer["meeting_recommended"] == []


# §3.2 Timescales ----------------------------------------------------------------------


@covers("bristol-3-2-same-day-serious-harm")
def test_bristol_3_2_same_day_when_serious_harm() -> None:
    answer = triage("physical_abuse", flags=("serious_harm",))
    assert answer["hold_by"] == "2026-03-04T23:59:59+00:00"
    assert timescale(answer, "bristol-3-2-same-day-serious-harm") == "2026-03-04T23:59:59+00:00"
    assert answer["timescales"][0]["id"] == "bristol-3-2-same-day-serious-harm"
    assert answer["timescales"][0]["source"] == f"{SOURCE} §3.2"
    # The 2-working-day rule is still reported beside it; the strictest applies.
    assert timescale(answer, "bristol-3-2-two-working-days") == "2026-03-06T23:59:59+00:00"


def test_bristol_3_2_no_same_day_without_serious_harm() -> None:
    answer = triage("physical_abuse")
    assert timescale(answer, "bristol-3-2-same-day-serious-harm") is None
    assert answer["hold_by"] == "2026-03-06T23:59:59+00:00"


@covers("bristol-3-2-same-day-sexual-abuse-immediate-action")
@pytest.mark.parametrize("concern", ["sexual_abuse", "penetrative_sexual_abuse"])
def test_bristol_3_2_same_day_sexual_abuse_needing_immediate_action(concern: str) -> None:
    answer = triage(concern, flags=("immediate_risk",), identified_at=FRIDAY)
    assert answer["hold_by"] == "2026-03-06T23:59:59+00:00"
    assert timescale(answer, "bristol-3-2-same-day-sexual-abuse-immediate-action") == (
        "2026-03-06T23:59:59+00:00"
    )


def test_bristol_3_2_sexual_abuse_without_immediate_action_is_two_working_days() -> None:
    answer = triage("sexual_abuse", identified_at=FRIDAY)
    assert timescale(answer, "bristol-3-2-same-day-sexual-abuse-immediate-action") is None
    assert answer["hold_by"] == "2026-03-10T23:59:59+00:00"
    # Immediate risk on its own, without sexual abuse or serious harm, is not a §3.2 case.
    neglect = triage("neglect", flags=("immediate_risk",))
    assert [t["id"] for t in neglect["timescales"]] == ["bristol-3-2-two-working-days"]


@covers("bristol-3-2-same-day-forensic-evidence")
def test_bristol_3_2_same_day_when_forensic_window() -> None:
    answer = triage(
        "penetrative_sexual_abuse", flags=("forensic_window",), identified_at="2026-03-05T16:45:00"
    )
    assert answer["hold_by"] == "2026-03-05T23:59:59+00:00"
    assert timescale(answer, "bristol-3-2-same-day-forensic-evidence") == (
        "2026-03-05T23:59:59+00:00"
    )
    assert [t["id"] for t in answer["timescales"]] == [
        "bristol-3-2-same-day-forensic-evidence",
        "bristol-3-2-two-working-days",
    ]


def test_bristol_3_2_penetrative_sexual_abuse_without_forensic_window_is_two_working_days() -> None:
    answer = triage("penetrative_sexual_abuse")
    assert timescale(answer, "bristol-3-2-same-day-forensic-evidence") is None
    assert answer["hold_by"] == "2026-03-06T23:59:59+00:00"


@covers("bristol-3-2-two-working-days")
def test_bristol_3_2_otherwise_within_two_working_days() -> None:
    answer = triage("neglect", identified_at=WEDNESDAY)
    assert answer["hold_by"] == "2026-03-06T23:59:59+00:00"
    assert [t["id"] for t in answer["timescales"]] == ["bristol-3-2-two-working-days"]
    assert answer["timescales"][0]["within"] == "two working days"


def test_bristol_3_2_two_working_days_from_friday_is_tuesday() -> None:
    assert triage("neglect", identified_at=FRIDAY)["hold_by"] == "2026-03-10T23:59:59+00:00"


def test_bristol_3_2_two_working_days_over_christmas_bank_holidays() -> None:
    # 25 December (Friday) and Monday 28 December (for Boxing Day) are bank holidays.
    answer = triage("neglect", identified_at="2026-12-24T10:00:00")
    assert answer["hold_by"] == "2026-12-30T23:59:59+00:00"


def test_bristol_3_2_two_working_days_from_a_saturday_night() -> None:
    answer = triage("child_criminal_exploitation", identified_at=SATURDAY_NIGHT)
    assert answer["out_of_hours"] is True
    assert answer["hold_by"] == "2026-03-10T23:59:59+00:00"


# §3.3 Chair, and the complex chair --------------------------------------------------


@covers("bristol-3-3-consultant-social-worker")
def test_bristol_3_3_chaired_by_consultant_social_worker_or_above() -> None:
    chair = triage("neglect")["chair"]
    assert chair["minimum_grade"] == "consultant_social_worker"
    assert chair["rule"] == "bristol-3-3-consultant-social-worker"
    assert chair["source"] == f"{SOURCE} §3.3"
    assert chair["exceptions"] == []
    assert chair["allowed_grades"][0] == "consultant_social_worker"
    assert "social_worker" not in chair["allowed_grades"]
    # Bristol's rule replaces national's (any social worker may chair).
    assert chair["also"] == []


@covers("bristol-6-cs-complex-deputy-service-manager")
def test_bristol_6_cs_complex_chair_no_lower_than_deputy_service_manager() -> None:
    chair = triage("organised_abuse")["chair"]
    assert chair["minimum_grade"] == "deputy_service_manager"
    assert chair["rule"] == "bristol-6-cs-complex-deputy-service-manager"
    assert chair["source"] == f"{SOURCE} {CS} — Who must the discussion include and who chairs?"
    assert chair["allowed_grades"] == [
        "deputy_service_manager",
        "service_manager",
        "principal_officer",
        "head_of_service",
        "director",
    ]
    assert chair["exceptions"][0]["grade"] == "team_manager"
    assert chair["exceptions"][0]["applies"] is False
    assert [other["rule"] for other in chair["also"]] == ["bristol-3-3-consultant-social-worker"]


def test_bristol_6_cs_complex_chair_team_manager_with_proven_expertise() -> None:
    chair = triage("organised_abuse", flags=("chair_has_specialist_expertise",))["chair"]
    assert chair["minimum_grade"] == "deputy_service_manager"
    assert chair["exceptions"][0]["applies"] is True
    assert chair["allowed_grades"][:2] == ["team_manager", "deputy_service_manager"]
    assert "deputy_team_manager" not in chair["allowed_grades"]


def test_bristol_6_cs_expertise_does_not_change_a_standard_chair() -> None:
    chair = triage("neglect", flags=("chair_has_specialist_expertise",))["chair"]
    assert chair["minimum_grade"] == "consultant_social_worker"


# §6 Contextual safeguarding: complex abuse -------------------------------------------


@covers("bristol-6-cs-three-or-more-children")
def test_bristol_6_cs_three_or_more_children_is_complex() -> None:
    answer = triage(
        "sexual_abuse", children=[child(), child(household="h2"), child(household="h3")]
    )
    assert answer["discussion_type"] == "complex"
    assert complex_rules(answer) == {"bristol-6-cs-three-or-more-children"}
    assert answer["complex_reasons"][0]["source"] == f"{SOURCE} {CS} — Definition of complex abuse"


def test_bristol_6_cs_two_children_is_not_complex() -> None:
    answer = triage("sexual_abuse", children=[child(), child(household="h2")])
    assert answer["discussion_type"] == "standard"


@covers("bristol-6-cs-organised-abuse")
@pytest.mark.parametrize("concern", ["organised_abuse", "ritualistic_abuse"])
def test_bristol_6_cs_organised_abuse_is_complex(concern: str) -> None:
    answer = triage(concern)
    assert answer["discussion_type"] == "complex"
    assert complex_rules(answer) == {"bristol-6-cs-organised-abuse"}
    assert answer["complex_reasons"][0]["source"] == (
        f"{SOURCE} {CS} — When is a complex strategy discussion required?"
    )


@pytest.mark.parametrize(
    "concern",
    [
        "child_criminal_exploitation",
        "child_sexual_exploitation",
        "missing",
        "trafficking",
        "extra_familial_violence",
        "child_on_child_abuse",
    ],
)
def test_bristol_6_cs_extra_familial_harm_alone_is_not_complex(concern: str) -> None:
    # "Extra-familial harm strategy meeting is the same as any other strategy meeting."
    answer = triage(concern)
    assert answer["discussion_type"] == "standard"
    assert answer["chair"]["minimum_grade"] == "consultant_social_worker"


# §4.2 and §4.3 Invites / attendees ---------------------------------------------------


@covers("bristol-4-2-minimum")
def test_bristol_4_2_social_worker_health_and_police_as_a_minimum() -> None:
    found = required(triage("emotional_abuse", children=[child(education="none")]))
    assert codes(found) == ["childrens_social_care", "health", "police"]
    for code in found:
        assert found[code]["rule"] == "bristol-4-2-minimum"
        assert found[code]["source"] == f"{SOURCE} §4.2"
        assert rules_behind(found[code]) == {"bristol-4-2-minimum", "wt2023-ch3-minimum-attendees"}


@covers("bristol-4-3-referrer")
def test_bristol_4_3_referrer_may_be_invited() -> None:
    item = recommended(triage("neglect", referrer="GP"))["referrer"]
    assert item["rule"] == "bristol-4-3-referrer"
    assert item["source"] == f"{SOURCE} §4.3"
    assert rules_behind(item) == {"bristol-4-3-referrer", "wt2023-ch3-referrer"}
    assert "referrer" not in recommended(triage("neglect"))


@covers("bristol-4-3-school-college-nursery")
@pytest.mark.parametrize("setting", ["school", "pre_school", "college"])
def test_bristol_4_3_school_college_or_nursery(setting: str) -> None:
    item = recommended(triage("neglect", children=[child(education=setting)]))["education"]
    assert item["rule"] == "bristol-4-3-school-college-nursery"


def test_bristol_4_3_no_education_when_not_on_roll_or_unborn() -> None:
    assert "education" not in recommended(
        triage("neglect", children=[child(education="not_on_roll")])
    )
    assert "education" not in recommended(
        triage("neglect", children=[child(unborn=True, date_of_birth=None)])
    )


@covers("bristol-4-3-camhs")
def test_bristol_4_3_camhs_and_be_safe() -> None:
    item = recommended(triage("emotional_abuse"))["camhs"]
    assert item["rule"] == "bristol-4-3-camhs"
    assert "Be Safe" in item["reason"]
    assert "camhs" not in required(triage("emotional_abuse"))


def test_bristol_4_3_no_camhs_for_an_unborn_child() -> None:
    assert "camhs" not in recommended(
        triage("neglect", children=[child(unborn=True, date_of_birth=None)])
    )


@covers("bristol-4-3-youth-offending-service")
def test_bristol_4_3_youth_offending_service() -> None:
    item = recommended(triage("child_criminal_exploitation"))["youth_offending_service"]
    assert item["rule"] == "bristol-4-3-youth-offending-service"
    assert item["source"] == f"{SOURCE} §4.3"
    charged = triage("child_on_child_abuse", children=[child(may_be_charged=True)])
    assert "youth_offending_service" in recommended(charged)


def test_bristol_4_3_no_youth_offending_service_for_a_toddler() -> None:
    toddler = child(date_of_birth="2024-01-15", education="pre_school")
    assert "youth_offending_service" not in recommended(
        triage("physical_abuse", children=[toddler])
    )


@covers("bristol-4-3-probation")
def test_bristol_4_3_probation() -> None:
    item = recommended(triage("neglect", children=[child(unborn=True, date_of_birth=None)]))[
        "probation"
    ]
    assert item["rule"] == "bristol-4-3-probation"
    assert "probation" not in required(triage("neglect"))


@covers("bristol-4-3-adult-social-care")
@pytest.mark.parametrize(
    "flag", ["parental_mental_health", "parental_substance_misuse", "parental_domestic_abuse"]
)
def test_bristol_4_3_adult_social_care_for_an_adult_with_needs(flag: str) -> None:
    item = recommended(triage("neglect", flags=(flag,)))["adult_social_care"]
    assert item["rule"] == "bristol-4-3-adult-social-care"


def test_bristol_4_3_no_adult_social_care_without_an_adult_concern() -> None:
    # Bristol has no rule for a young person with care needs near 18.
    near_18 = child(date_of_birth="2008-06-01", care_and_support_needs=True)
    assert "adult_social_care" not in recommended(triage("neglect", children=[near_18]))
    assert "adult_social_care" not in required(triage("neglect", children=[near_18]))


@covers("bristol-4-3-adult-mental-health")
def test_bristol_4_3_adult_mental_health() -> None:
    item = recommended(triage("neglect", flags=("parental_mental_health",)))["adult_mental_health"]
    assert item["rule"] == "bristol-4-3-adult-mental-health"
    assert "adult_mental_health" not in recommended(triage("neglect"))


@covers("bristol-4-3-substance-misuse")
def test_bristol_4_3_substance_misuse() -> None:
    found = recommended(triage("neglect", flags=("parental_substance_misuse",)))
    assert found["substance_misuse_service"]["rule"] == "bristol-4-3-substance-misuse"
    assert "substance_misuse_service" not in recommended(triage("neglect"))


@covers("bristol-4-3-domestic-abuse-specialist")
def test_bristol_4_3_domestic_abuse_specialist() -> None:
    found = recommended(triage("emotional_abuse", flags=("parental_domestic_abuse",)))
    assert found["domestic_abuse_service"]["rule"] == "bristol-4-3-domestic-abuse-specialist"
    assert "domestic_abuse_service" not in recommended(triage("emotional_abuse"))


@covers("bristol-4-3-housing")
def test_bristol_4_3_housing() -> None:
    assert recommended(triage("neglect"))["housing"]["rule"] == "bristol-4-3-housing"
    assert "housing" not in required(triage("neglect"))


@covers("bristol-4-3-bace-safer-options")
@pytest.mark.parametrize(
    "concern",
    [
        "child_on_child_abuse",
        "child_criminal_exploitation",
        "child_sexual_exploitation",
        "online_abuse",
        "missing",
        "extra_familial_violence",
        "radicalisation",
        "trafficking",
    ],
)
def test_bristol_4_3_bace_and_safer_options_for_extra_familial_harm(concern: str) -> None:
    item = recommended(triage(concern))["contextual_safeguarding"]
    assert item["rule"] == "bristol-4-3-bace-safer-options"


def test_bristol_4_3_no_bace_for_harm_inside_the_family() -> None:
    for concern in ("neglect", "physical_abuse", "sexual_abuse", "organised_abuse"):
        assert "contextual_safeguarding" not in recommended(triage(concern)), concern


@covers("bristol-4-3-families-in-focus")
def test_bristol_4_3_families_in_focus_and_childrens_centres() -> None:
    item = recommended(triage("neglect"))["early_help"]
    assert item["rule"] == "bristol-4-3-families-in-focus"
    assert "already involved" in item["reason"]


@covers("bristol-4-3-placing-authority")
def test_bristol_4_3_placing_authority_of_a_looked_after_child() -> None:
    placed = child(looked_after=True, home_authority="North Somerset")
    item = recommended(triage("physical_abuse", children=[placed]))["home_local_authority"]
    assert item["rule"] == "bristol-4-3-placing-authority"
    assert item["source"] == f"{SOURCE} §4.3"


def test_bristol_4_3_no_placing_authority_for_a_bristol_child_or_a_child_at_home() -> None:
    bristol_looked_after = child(looked_after=True)
    visiting = child(home_authority="North Somerset")
    for one in (bristol_looked_after, visiting):
        assert "home_local_authority" not in recommended(triage("physical_abuse", children=[one]))


@covers("bristol-4-3-midwives")
def test_bristol_4_3_midwives_for_an_unborn_child() -> None:
    item = recommended(triage("neglect", children=[child(unborn=True, date_of_birth=None)]))[
        "midwifery"
    ]
    assert item["rule"] == "bristol-4-3-midwives"
    assert "midwifery" not in recommended(triage("neglect"))


def test_bristol_4_3_recommended_attendees_exactly_for_a_plain_case() -> None:
    answer = triage("neglect")
    assert codes(recommended(answer)) == [
        "education",
        "camhs",
        "probation",
        "housing",
        "early_help",
    ]


# §6.1 Out of hours -------------------------------------------------------------------


@covers("bristol-6-1-on-call-paediatrician")
def test_bristol_6_1_on_call_community_paediatrician_out_of_hours() -> None:
    answer = triage("physical_abuse", identified_at=SATURDAY_NIGHT)
    assert answer["out_of_hours"] is True
    item = recommended(answer)["paediatrician"]
    assert item["rule"] == "bristol-6-1-on-call-paediatrician"
    assert item["source"] == f"{SOURCE} §6.1"
    weekday_evening = triage("physical_abuse", identified_at="2026-03-04T17:00:00")
    assert "paediatrician" in recommended(weekday_evening)


def test_bristol_6_1_no_on_call_paediatrician_in_hours() -> None:
    answer = triage("physical_abuse", identified_at="2026-03-04T16:59:00")
    assert answer["out_of_hours"] is False
    assert "paediatrician" not in recommended(answer)


# §6 Contextual safeguarding: who is invited ------------------------------------------


@covers("bristol-6-cs-other-local-authorities")
def test_bristol_6_cs_professionals_from_other_local_authorities() -> None:
    away = child(home_authority="South Gloucestershire")
    item = recommended(triage("child_criminal_exploitation", children=[away]))[
        "home_local_authority"
    ]
    assert item["rule"] == "bristol-6-cs-other-local-authorities"
    assert item["source"] == f"{SOURCE} {CS} — Who must the discussion include and who chairs?"
    assert "home_local_authority" in recommended(triage("organised_abuse", children=[away]))


def test_bristol_6_cs_no_other_local_authority_for_intra_familial_or_local_child() -> None:
    away = child(home_authority="South Gloucestershire")
    assert "home_local_authority" not in recommended(triage("neglect", children=[away]))
    assert "home_local_authority" not in recommended(triage("child_criminal_exploitation"))


# Steps -------------------------------------------------------------------------------


@covers("bristol-2-4-inform-lado")
def test_bristol_2_4_inform_lado_when_alleged_perpetrator_works_with_children() -> None:
    answer = triage("physical_abuse", perpetrators=[{"position_of_trust": True}])
    step = steps(answer)["lado_referral"]
    assert step["rule"] == "bristol-2-4-inform-lado"
    assert step["source"] == f"{SOURCE} §2.4"
    assert "lado_referral" not in steps(triage("physical_abuse", perpetrators=[{}]))


@covers("bristol-4-5-medical-assessment-advice")
def test_bristol_4_5_health_advises_on_medical_assessment() -> None:
    step = steps(triage("physical_abuse"))["consider_medical_assessment"]
    assert step["rule"] == "bristol-4-5-medical-assessment-advice"
    assert step["source"] == f"{SOURCE} §4.5"
    assert "consider_medical_assessment" in steps(triage("neglect", flags=("serious_harm",)))
    assert "consider_medical_assessment" not in steps(triage("neglect"))


@covers("bristol-5-1-minute-taker")
def test_bristol_5_1_csca_or_other_minute_taker() -> None:
    for answer in (triage("neglect"), triage("organised_abuse")):
        step = steps(answer)["business_support_note_taker"]
        assert step["rule"] == "bristol-5-1-minute-taker"
        assert step["source"] == f"{SOURCE} §5.1"


@covers("bristol-6-cs-national-referral-mechanism")
@pytest.mark.parametrize(
    "concern", ["child_criminal_exploitation", "child_sexual_exploitation", "trafficking"]
)
def test_bristol_6_cs_consider_national_referral_mechanism(concern: str) -> None:
    step = steps(triage(concern))["national_referral_mechanism"]
    assert step["rule"] == "bristol-6-cs-national-referral-mechanism"
    assert step["source"] == f"{SOURCE} {CS} — Discussion and planning"


def test_bristol_6_cs_no_national_referral_mechanism_without_exploitation() -> None:
    for concern in ("missing", "online_abuse", "neglect", "organised_abuse"):
        assert "national_referral_mechanism" not in steps(triage(concern)), concern


@covers("bristol-6-cs-exploitation-screening-tool")
def test_bristol_6_cs_exploitation_screening_tool() -> None:
    step = steps(triage("child_sexual_exploitation"))["exploitation_screening_tool"]
    assert step["rule"] == "bristol-6-cs-exploitation-screening-tool"
    assert "exploitation_screening_tool" not in steps(triage("missing"))
    assert "exploitation_screening_tool" not in steps(triage("neglect"))


@covers("bristol-6-cs-n2k-notification")
def test_bristol_6_cs_consider_n2k_notification() -> None:
    step = steps(triage("extra_familial_violence"))["n2k_notification"]
    assert step["rule"] == "bristol-6-cs-n2k-notification"
    assert "n2k_notification" in steps(triage("ritualistic_abuse"))
    assert "n2k_notification" not in steps(triage("neglect"))


def test_bristol_steps_exactly_for_criminal_exploitation_and_for_neglect() -> None:
    assert codes(steps(triage("child_criminal_exploitation"))) == [
        "business_support_note_taker",
        "national_referral_mechanism",
        "exploitation_screening_tool",
        "n2k_notification",
    ]
    assert codes(steps(triage("neglect"))) == ["business_support_note_taker"]


# Clocks ------------------------------------------------------------------------------


@covers("bristol-2-3-child-seen-two-working-days")
def test_bristol_2_3_child_seen_within_two_working_days_of_section_47_discussion() -> None:
    found = clocks_for(PROFILE, section_47=True)
    assert found["child_seen"]["due"] == "2026-03-06T23:59:59+00:00"
    assert found["child_seen"]["rule"] == "bristol-2-3-child-seen-two-working-days"
    assert found["child_seen"]["source"] == f"{SOURCE} §2.3"
    friday = clocks_for(
        PROFILE, identified_at=FRIDAY, held_at="2026-03-06T14:00:00", section_47=True
    )
    assert friday["child_seen"]["due"] == "2026-03-10T23:59:59+00:00"


def test_bristol_2_3_no_child_seen_clock_without_section_47() -> None:
    assert "child_seen" not in clocks_for(PROFILE, section_47=False)


@covers("bristol-5-4-minutes-five-working-days")
def test_bristol_5_4_minutes_within_five_working_days() -> None:
    found = clocks_for(PROFILE)
    assert found["minutes_distributed"]["due"] == "2026-03-11T23:59:59+00:00"
    assert found["minutes_distributed"]["rule"] == "bristol-5-4-minutes-five-working-days"
    christmas = clocks_for(
        PROFILE, identified_at="2026-12-23T10:00:00", held_at="2026-12-23T14:00:00"
    )
    # 24 Dec, 29, 30, 31 Dec and 4 Jan (1 Jan, 25 and 28 Dec are bank holidays).
    assert christmas["minutes_distributed"]["due"] == "2027-01-04T23:59:59+00:00"


@covers("bristol-6-1-out-of-hours-record")
def test_bristol_6_1_out_of_hours_record_before_start_of_next_working_day() -> None:
    friday_night = clocks_for(
        PROFILE, identified_at="2026-03-06T18:00:00", held_at="2026-03-06T19:00:00"
    )
    assert friday_night["out_of_hours_record_sent"]["due"] == "2026-03-09T09:00:00+00:00"
    assert friday_night["out_of_hours_record_sent"]["source"] == f"{SOURCE} §6.1"
    before_easter = clocks_for(
        PROFILE, identified_at="2026-04-02T19:00:00", held_at="2026-04-02T20:00:00"
    )
    # Good Friday and Easter Monday are bank holidays; the clocks have gone forward.
    assert before_easter["out_of_hours_record_sent"]["due"] == "2026-04-07T09:00:00+01:00"
    early_morning = clocks_for(
        PROFILE, identified_at="2026-03-04T06:00:00", held_at="2026-03-04T07:30:00"
    )
    assert early_morning["out_of_hours_record_sent"]["due"] == "2026-03-04T09:00:00+00:00"


def test_bristol_6_1_no_out_of_hours_record_in_hours() -> None:
    assert "out_of_hours_record_sent" not in clocks_for(PROFILE)
    assert "out_of_hours_record_sent" not in clocks_for(
        PROFILE, held_at="2026-03-04T19:00:00", out_of_hours=False
    )


def test_bristol_clocks_exactly_for_a_section_47_discussion() -> None:
    found = clocks_for(PROFILE, section_47=True)
    assert {code: clock["due"] for code, clock in found.items()} == {
        "child_seen": "2026-03-06T23:59:59+00:00",
        "minutes_distributed": "2026-03-11T23:59:59+00:00",
        "icpc_held": "2026-03-25T23:59:59+00:00",
        "assessment_completed": "2026-05-11T23:59:59+01:00",
    }


# §5.4 Who else receives the minutes ------------------------------------------------


def recipients(answer: dict[str, Any]) -> dict[str, str]:
    return {item["rule"]: item["recipient"] for item in answer["distribution"]}


@covers(
    "bristol-5-4-gp",
    "bristol-5-4-named-nurse",
    "bristol-5-4-service-manager",
    "bristol-5-4-school-nurse",
    "bristol-5-4-designated-safeguarding-lead",
)
def test_bristol_5_4_minutes_go_to_gp_named_nurse_service_manager_and_school() -> None:
    answer = triage("neglect")
    assert recipients(answer) == {
        "bristol-5-4-gp": "The child's GP",
        "bristol-5-4-named-nurse": (
            "Named Nurse, Community Child Health Partnership (Sirona Safeguarding Team)"
        ),
        "bristol-5-4-school-nurse": "School nurse (through the Named Nurse)",
        "bristol-5-4-designated-safeguarding-lead": (
            "Designated Safeguarding Lead of the child's education setting"
        ),
        "bristol-5-4-service-manager": "The team's Service Manager or Deputy Service Manager",
    }
    assert answer["distribution"][0]["source"] == f"{SOURCE} §5.4"


@covers("bristol-5-4-health-visitor")
def test_bristol_5_4_health_visitor_for_a_child_under_five() -> None:
    toddler = triage("neglect", children=[child(date_of_birth="2023-01-10", education="none")])
    assert "bristol-5-4-health-visitor" in recipients(toddler)
    assert "bristol-5-4-school-nurse" not in recipients(toddler)
    assert "bristol-5-4-designated-safeguarding-lead" not in recipients(toddler)
    five = triage("neglect", children=[child(date_of_birth="2021-03-04")])
    assert "bristol-5-4-health-visitor" not in recipients(five)


# Every rule has a test; national rules are kept -------------------------------------


def _ids(profile_name: str) -> set[str]:
    profile = get_profile(profile_name)
    return {compiled.rule.id for rules in profile.rules.values() for compiled in rules}


def test_bristol_every_rule_has_a_test() -> None:
    own = _ids(PROFILE) - _ids("national")
    assert own == COVERED
    assert len(own) == 41


def test_bristol_keeps_national_rules_except_the_chair() -> None:
    assert _ids("national") - _ids(PROFILE) == {"wt2023-ch3-chair-social-care"}


def test_bristol_rules_cite_the_seed() -> None:
    profile = get_profile(PROFILE)
    for rules in profile.rules.values():
        for compiled in rules:
            if compiled.rule.id.startswith("bristol-"):
                assert compiled.citation.startswith(f"{SOURCE} §"), compiled.rule.id


# --- §6 Contextual safeguarding: discussion and planning --------------------------------


def test_bristol_agenda_is_the_complex_strategy_list_in_order() -> None:
    agenda = get_profile(PROFILE).agenda

    assert [item.title for item in agenda] == [
        "A clear description of the concerns, including themes and patterns",
        "Mapping locations, buildings and peers, including safe spaces",
        "Any peers, negative or positive, and any peer-on-peer abuse",
        "Children who may be alleged perpetrators",
        "Children in contact, now or in the past, with possible perpetrators",
        "Possible victims who are now adults",
        "Any immediate protective action",
        "Wider safeguarding risks within the community",
        "A plan to disrupt the perpetrators",
        "Any police action that may be taken",
        "The parents' role in safeguarding their child, and when the child will be seen",
        "Any information from a return home interview",
        "The exploitation screening tool",
        "Any social media sites or activity of concern",
        "Whether any media activity or alerts are needed",
        "Whether an individual assessment or section 47 enquiries are needed, and why",
        "Whether an N2K notification is needed",
    ]
    assert {item.source for item in agenda} == {
        "§6 Contextual safeguarding — Discussion and planning"
    }
