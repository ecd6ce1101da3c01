"""The Birmingham profile, clause by clause (seeds/000_394093cbef3e5ee1.txt).

One test per rule, named after the clause it encodes, each with the case where the rule
must not apply. ``covers`` records which rule each test exercises; the last tests check
that every rule of the profile has a test and that the national rules are kept.
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

PROFILE = "birmingham"
SOURCE = "000_394093cbef3e5ee1.txt"

COVERED, covers = rule_coverage()


def child(**fields: Any) -> dict[str, Any]:
    """A school-age child; ``fields`` override the contract's defaults."""
    return {"date_of_birth": "2011-05-01", **fields}


def triage(*concerns: str, **kwargs: Any) -> dict[str, Any]:
    return triage_for(PROFILE, *concerns, **kwargs)


def codes(items: dict[str, dict[str, Any]]) -> list[str]:
    return list(items)


# §2 Definition of complex abuse ------------------------------------------------------


@covers("birmingham-2-three-or-more-children")
def test_birmingham_2_three_or_more_children_is_complex() -> None:
    answer = triage("physical_abuse", children=[child(), child(), child(household="h2")])
    assert answer["discussion_type"] == "complex"
    assert complex_rules(answer) == {"birmingham-2-three-or-more-children"}
    assert answer["complex_reasons"][0]["source"] == f"{SOURCE} §2"


def test_birmingham_2_two_children_is_not_complex() -> None:
    answer = triage("physical_abuse", children=[child(), child(household="h2")])
    assert answer["discussion_type"] == "standard"
    assert answer["complex_reasons"] == []


# §4 When is a complex strategy discussion required? ----------------------------------


@covers("birmingham-4-organised-abuse")
@pytest.mark.parametrize("concern", ["organised_abuse", "ritualistic_abuse"])
def test_birmingham_4_organised_abuse_is_complex(concern: str) -> None:
    answer = triage(concern, children=[child()])
    assert answer["discussion_type"] == "complex"
    assert complex_rules(answer) == {"birmingham-4-organised-abuse"}
    assert answer["complex_reasons"][0]["source"] == f"{SOURCE} §4"


@covers("birmingham-4-exploitation-or-missing")
@pytest.mark.parametrize(
    "concern",
    ["child_sexual_exploitation", "child_criminal_exploitation", "missing", "trafficking"],
)
def test_birmingham_4_exploitation_or_missing_is_complex(concern: str) -> None:
    answer = triage(concern, children=[child()])
    assert answer["discussion_type"] == "complex"
    assert complex_rules(answer) == {"birmingham-4-exploitation-or-missing"}


@pytest.mark.parametrize(
    "concern", ["neglect", "physical_abuse", "sexual_abuse", "extra_familial_violence"]
)
def test_birmingham_4_other_concerns_for_one_child_are_standard(concern: str) -> None:
    answer = triage(concern, children=[child()])
    assert answer["discussion_type"] == "standard"
    assert answer["complex_reasons"] == []


# §4 Exploitation screening tool ------------------------------------------------------


@covers("birmingham-4-screening-tool-open-to-bct")
def test_birmingham_4_screening_tool_must_be_submitted_when_open_to_bct() -> None:
    answer = triage(
        "child_criminal_exploitation",
        children=[child()],
        flags=("open_to_childrens_social_care",),
    )
    step = steps(answer)["exploitation_screening_tool"]
    assert step["rule"] == "birmingham-4-screening-tool-open-to-bct"
    assert step["source"] == f"{SOURCE} §4"
    assert "EMPOWER U" in step["reason"]
    assert rules_behind(step) == {"birmingham-4-screening-tool-open-to-bct"}


@covers("birmingham-4-screening-tool-not-open")
def test_birmingham_4_screening_tool_where_possible_when_not_known_to_bct() -> None:
    answer = triage("child_sexual_exploitation", children=[child()])
    step = steps(answer)["exploitation_screening_tool"]
    assert step["rule"] == "birmingham-4-screening-tool-not-open"
    assert "where possible" in step["reason"]
    assert rules_behind(step) == {"birmingham-4-screening-tool-not-open"}


def test_birmingham_4_no_screening_tool_without_exploitation() -> None:
    for concern in ("missing", "neglect", "organised_abuse"):
        answer = triage(concern, children=[child()], flags=("open_to_childrens_social_care",))
        assert "exploitation_screening_tool" not in steps(answer), concern


# §5 Who must the discussion include and who chairs? ---------------------------------


@covers("birmingham-5-complex-principal-officer")
def test_birmingham_5_complex_chair_no_lower_than_principal_officer() -> None:
    chair = triage("organised_abuse", children=[child()])["chair"]
    assert chair["minimum_grade"] == "principal_officer"
    assert chair["rule"] == "birmingham-5-complex-principal-officer"
    assert chair["source"] == f"{SOURCE} §5"
    assert chair["allowed_grades"] == ["principal_officer", "head_of_service", "director"]
    assert chair["exceptions"] == [
        {
            "grade": "team_manager",
            "condition": (
                "A Social Work Team Manager with proven experience and expertise in this area."
            ),
            "applies": False,
            "source": f"{SOURCE} §5",
        }
    ]
    # National's chair rule is kept and reported beside the stricter local one.
    assert [other["rule"] for other in chair["also"]] == ["wt2023-ch3-chair-social-care"]


def test_birmingham_5_complex_chair_team_manager_with_proven_expertise() -> None:
    chair = triage(
        "child_criminal_exploitation",
        children=[child()],
        flags=("chair_has_specialist_expertise",),
    )["chair"]
    assert chair["minimum_grade"] == "principal_officer"
    assert chair["exceptions"][0]["applies"] is True
    assert chair["allowed_grades"][0] == "team_manager"
    assert "deputy_team_manager" not in chair["allowed_grades"]


def test_birmingham_5_standard_discussion_keeps_national_chair() -> None:
    chair = triage("neglect", children=[child()])["chair"]
    assert chair["minimum_grade"] == "social_worker"
    assert chair["rule"] == "wt2023-ch3-chair-social-care"
    assert chair["also"] == []


@covers("birmingham-5-exploitation-minimum")
@pytest.mark.parametrize(
    "concern", ["child_criminal_exploitation", "child_sexual_exploitation", "missing"]
)
def test_birmingham_5_exploitation_or_missing_minimum_attendees(concern: str) -> None:
    answer = triage(concern, children=[child()])
    found = required(answer)
    assert codes(found) == [
        "police",
        "childrens_social_care",
        "education",
        "health",
        "exploitation_hub",
    ]
    assert found["exploitation_hub"]["rule"] == "birmingham-5-exploitation-minimum"
    assert found["exploitation_hub"]["source"] == f"{SOURCE} §5"
    # National's minimum is kept beside the local rule.
    assert rules_behind(found["police"]) == {
        "birmingham-5-exploitation-minimum",
        "wt2023-ch3-minimum-attendees",
    }
    # Education is required here, so it is not also listed as recommended.
    assert "education" not in recommended(answer)


def test_birmingham_5_no_exploitation_hub_for_organised_abuse_or_trafficking_alone() -> None:
    for concern in ("organised_abuse", "trafficking", "neglect"):
        answer = triage(concern, children=[child()])
        assert codes(required(answer)) == ["childrens_social_care", "police", "health"], concern


@covers("birmingham-5-other-local-authority")
def test_birmingham_5_professionals_from_other_local_authorities() -> None:
    answer = triage("neglect", children=[child(home_authority="Sandwell")])
    item = recommended(answer)["home_local_authority"]
    assert item["rule"] == "birmingham-5-other-local-authority"
    assert item["source"] == f"{SOURCE} §5"
    assert "home_local_authority" not in required(answer)


def test_birmingham_5_no_other_local_authority_for_a_birmingham_child() -> None:
    answer = triage("neglect", children=[child()])
    assert "home_local_authority" not in recommended(answer)


@covers("birmingham-5-youth-offending-service")
def test_birmingham_5_youth_offending_services_for_criminal_exploitation() -> None:
    answer = triage("child_criminal_exploitation", children=[child()])
    item = recommended(answer)["youth_offending_service"]
    assert item["rule"] == "birmingham-5-youth-offending-service"
    assert item["source"] == f"{SOURCE} §5"


def test_birmingham_5_youth_offending_services_when_a_child_in_complex_case_may_be_charged() -> (
    None
):
    answer = triage("organised_abuse", children=[child(may_be_charged=True)])
    assert "youth_offending_service" in recommended(answer)


def test_birmingham_5_no_youth_offending_services_otherwise() -> None:
    # Organised abuse of children who are not offending; a standard case of a child who may
    # be charged (the table is for complex strategy meetings).
    assert "youth_offending_service" not in recommended(
        triage("organised_abuse", children=[child()])
    )
    assert "youth_offending_service" not in recommended(
        triage("child_sexual_exploitation", children=[child()])
    )
    assert "youth_offending_service" not in recommended(
        triage("neglect", children=[child(may_be_charged=True)])
    )


@covers("birmingham-5-education")
def test_birmingham_5_education_may_attend_complex() -> None:
    answer = triage("organised_abuse", children=[child()])
    assert recommended(answer)["education"]["rule"] == "birmingham-5-education"
    assert "education" not in recommended(triage("neglect", children=[child()]))
    assert "education" not in required(triage("neglect", children=[child()]))


@covers("birmingham-5-early-help-partnership")
@pytest.mark.parametrize(
    "concern",
    ["child_sexual_exploitation", "child_criminal_exploitation", "missing", "trafficking"],
)
def test_birmingham_5_early_help_partnership_for_exploitation_or_missing(concern: str) -> None:
    item = recommended(triage(concern, children=[child()]))["early_help"]
    assert item["rule"] == "birmingham-5-early-help-partnership"


def test_birmingham_5_no_early_help_partnership_for_organised_abuse_or_neglect() -> None:
    assert "early_help" not in recommended(triage("organised_abuse", children=[child()]))
    assert "early_help" not in recommended(triage("neglect", children=[child()]))


def test_birmingham_5_complex_recommended_attendees_exactly() -> None:
    answer = triage("organised_abuse", children=[child()], referrer="school")
    assert codes(recommended(answer)) == ["education", "referrer"]
    exploited = triage(
        "child_criminal_exploitation",
        children=[child(home_authority="Walsall")],
        referrer="police",
    )
    assert codes(recommended(exploited)) == [
        "home_local_authority",
        "youth_offending_service",
        "early_help",
        "referrer",
    ]


# §5 format and §5.2 Timeliness -------------------------------------------------------


@covers("birmingham-5-2-planned-meeting")
def test_birmingham_5_2_planned_meeting_may_be_needed_but_not_required() -> None:
    for concern in ("neglect", "organised_abuse", "child_sexual_exploitation"):
        answer = triage(concern, children=[child()])
        # §5: telephone, Skype, Teams or face to face — a meeting is never required.
        assert answer["meeting_required"] is False, concern
        assert answer["meeting_reasons"] == [], concern
        assert [r["rule"] for r in answer["meeting_recommended"]] == [
            "birmingham-5-2-planned-meeting"
        ], concern


@covers("birmingham-5-2-within-24-hours")
def test_birmingham_5_2_within_24_hours() -> None:
    answer = triage("neglect", children=[child()], identified_at=WEDNESDAY)
    assert answer["hold_by"] == "2026-03-05T10:00:00+00:00"
    assert timescale(answer, "birmingham-5-2-within-24-hours") == "2026-03-05T10:00:00+00:00"
    assert answer["timescales"][0]["source"] == f"{SOURCE} §5.2"
    assert len(answer["timescales"]) == 1


def test_birmingham_5_2_24_hours_are_clock_hours_not_working_days() -> None:
    answer = triage("child_criminal_exploitation", children=[child()], identified_at=FRIDAY)
    assert answer["hold_by"] == "2026-03-07T10:00:00+00:00"  # Saturday
    late_friday = triage("missing", children=[child()], identified_at="2026-03-06T18:30:00")
    assert late_friday["hold_by"] == "2026-03-07T18:30:00+00:00"
    assert late_friday["out_of_hours"] is True


def test_birmingham_5_2_24_hours_across_the_clocks_going_forward() -> None:
    # 24 elapsed hours from 14:00 GMT on Saturday 28 March 2026 is 15:00 BST on Sunday.
    answer = triage("injury_to_non_mobile_infant", identified_at="2026-03-28T14:00:00")
    assert answer["hold_by"] == "2026-03-29T15:00:00+01:00"


def test_birmingham_5_2_24_hours_over_christmas() -> None:
    answer = triage("neglect", identified_at="2026-12-24T11:00:00")
    assert answer["hold_by"] == "2026-12-25T11:00:00+00:00"


# §6 Discussion and planning ----------------------------------------------------------


@covers("birmingham-6-national-referral-mechanism")
@pytest.mark.parametrize(
    "concern", ["trafficking", "child_criminal_exploitation", "child_sexual_exploitation"]
)
def test_birmingham_6_consider_national_referral_mechanism(concern: str) -> None:
    step = steps(triage(concern, children=[child()]))["national_referral_mechanism"]
    assert step["rule"] == "birmingham-6-national-referral-mechanism"
    assert step["source"] == f"{SOURCE} §6"


def test_birmingham_6_no_national_referral_mechanism_without_exploitation() -> None:
    for concern in ("missing", "organised_abuse", "neglect"):
        assert "national_referral_mechanism" not in steps(triage(concern, children=[child()]))


# §8 Recording ------------------------------------------------------------------------


@covers("birmingham-8-business-support-note-taker")
def test_birmingham_8_business_support_note_taker_for_complex() -> None:
    step = steps(triage("organised_abuse", children=[child()]))["business_support_note_taker"]
    assert step["rule"] == "birmingham-8-business-support-note-taker"
    assert step["source"] == f"{SOURCE} §8"
    assert "business_support_note_taker" not in steps(triage("neglect", children=[child()]))


def test_birmingham_complex_exploitation_steps_exactly() -> None:
    answer = triage(
        "child_criminal_exploitation", children=[child()], flags=("open_to_childrens_social_care",)
    )
    assert codes(steps(answer)) == [
        "exploitation_screening_tool",
        "national_referral_mechanism",
        "business_support_note_taker",
    ]
    assert steps(triage("neglect", children=[child()])) == {}


@covers("birmingham-8-minutes-24-hours")
def test_birmingham_8_minutes_shared_within_24_hours() -> None:
    found = clocks_for(PROFILE, held_at="2026-03-04T15:00:00")
    assert found["minutes_distributed"]["due"] == "2026-03-05T15:00:00+00:00"
    assert found["minutes_distributed"]["rule"] == "birmingham-8-minutes-24-hours"
    assert found["minutes_distributed"]["source"] == f"{SOURCE} §8"
    complex_friday = clocks_for(
        PROFILE,
        identified_at=FRIDAY,
        held_at="2026-03-06T16:00:00",
        discussion_type="complex",
    )
    assert complex_friday["minutes_distributed"]["due"] == "2026-03-07T16:00:00+00:00"


def test_birmingham_clocks_exactly_without_and_with_section_47() -> None:
    without = clocks_for(PROFILE)
    assert {code: clock["due"] for code, clock in without.items()} == {
        "minutes_distributed": "2026-03-05T15:00:00+00:00",
        "assessment_completed": "2026-05-11T23:59:59+01:00",
    }
    with_47 = clocks_for(PROFILE, section_47=True)
    assert with_47["icpc_held"]["due"] == "2026-03-25T23:59:59+00:00"
    assert with_47["icpc_held"]["rule"] == "wt2023-ch3-icpc-15-working-days"
    # Birmingham sets no out-of-hours record or child-seen clock.
    assert "out_of_hours_record_sent" not in clocks_for(PROFILE, out_of_hours=True)
    assert "child_seen" not in with_47


# Every rule has a test; national rules are kept -------------------------------------


def _ids(profile_name: str) -> set[str]:
    profile = get_profile(profile_name)
    return {compiled.rule.id for rules in profile.rules.values() for compiled in rules}


def test_birmingham_every_rule_has_a_test() -> None:
    own = _ids(PROFILE) - _ids("national")
    assert own == COVERED
    assert len(own) == 16


def test_birmingham_keeps_every_national_rule() -> None:
    assert _ids("national") <= _ids(PROFILE)


def test_birmingham_rules_cite_the_seed() -> None:
    profile = get_profile(PROFILE)
    for rules in profile.rules.values():
        for compiled in rules:
            if compiled.rule.id.startswith("birmingham-"):
                assert compiled.citation.startswith(f"{SOURCE} §"), compiled.rule.id


# --- §6 Discussion and planning ---------------------------------------------------------


def test_birmingham_agenda_is_the_6_planning_list_in_order() -> None:
    agenda = get_profile(PROFILE).agenda

    assert [item.title for item in agenda] == [
        "An assessment of the information known to date",
        "Whether the enquiry is a joint section 47 or single-agency enquiry",
        "A clear rationale for the section 47 enquiry",
        "How soon the child needs to be seen, and by whom",
        "The child's voice and the parents' views",
        "The parents' role in safeguarding their child",
        "Themes and patterns",
        "Any police intelligence",
        "History and any adverse childhood experiences",
        "A clear description of the concerns",
        "Any peers, negative or positive, and any peer-on-peer abuse",
        "Mapping locations, buildings and peers, including safe spaces",
        "A plan to disrupt the perpetrators",
        "Any immediate protective action",
        "Any police action that may be taken",
        "Other actions that may disrupt harmful activities",
        "Whether any media alerts are needed",
        "Intervention and support that address wider environmental factors",
        "Implementing any safeguarding measures",
        "Any information from a return home interview",
        "The exploitation screening tool",
        "Children who may be alleged perpetrators",
        "Interventions against wider threats to a number of children",
        "Children not in education",
        "Teenage brain development",
        "Any social media sites or activity of concern",
        "Any trauma from significant events leading up to the incidents",
        "Children who may be in contact with possible perpetrators now",
        "Children who were, but no longer are, in contact with possible abusers",
        "Possible victims who are now adults",
        "What further information is needed, and who gathers it by when",
        "Any information to help the initial mapping exercise",
        "Whether an individual assessment or section 47 enquiries are needed",
    ]
    assert {item.source for item in agenda} == {"§6"}
