"""The national baseline: Working Together to Safeguard Children 2023, clause by clause.

Source: the summary in shared/seeds/README.md. Working Together sets a strategy discussion
whenever there is reasonable cause to suspect significant harm; as a minimum a local
authority social worker, health practitioners and a police representative; an initial
child protection conference within 15 working days of the strategy discussion at which
section 47 enquiries were initiated; and assessments within 45 working days of referral.
It sets no fixed timescale for holding the strategy discussion itself. One test per rule
of the ``national`` profile, each with the case where the rule must not apply.
"""

from __future__ import annotations

from strategise.policy import get_profile

from .support import FRIDAY, WEDNESDAY, clocks_for, recommended, required, steps, triage_for

WT2023 = "Working Together to Safeguard Children 2023"


def test_national_ch3_social_care_convenes_and_no_minimum_grade_for_the_chair() -> None:
    chair = triage_for("national", "neglect")["chair"]
    assert chair["rule"] == "wt2023-ch3-chair-social-care"
    assert chair["minimum_grade"] == "social_worker"
    assert chair["source"] == f"{WT2023} ch.3 Strategy discussion"
    assert chair["exceptions"] == []
    assert chair["also"] == []
    # Every grade may chair: Working Together names none.
    assert chair["allowed_grades"] == [
        "social_worker",
        "consultant_social_worker",
        "deputy_team_manager",
        "team_manager",
        "deputy_service_manager",
        "service_manager",
        "principal_officer",
        "head_of_service",
        "director",
    ]

    # A local procedure that sets a grade replaces this rule (Sandwell: a unit manager).
    sandwell = triage_for("sandwell", "neglect")["chair"]
    assert sandwell["minimum_grade"] == "team_manager"
    assert "wt2023-ch3-chair-social-care" not in {other["rule"] for other in sandwell["also"]}


def test_national_ch3_minimum_social_worker_health_and_police() -> None:
    answer = triage_for("national", "physical_abuse")
    assert set(required(answer)) == {"childrens_social_care", "police", "health"}
    for code in ("childrens_social_care", "police", "health"):
        assert required(answer)[code]["rule"] == "wt2023-ch3-minimum-attendees"
        assert required(answer)[code]["source"] == f"{WT2023} ch.3 Strategy discussion"
    # Education is not part of the national minimum.
    assert "education" not in required(answer)
    assert "education" not in recommended(answer)


def test_national_ch3_referring_agency_may_be_involved() -> None:
    answer = triage_for("national", "neglect", referrer="health_visitor")
    item = recommended(answer)["referrer"]
    assert item["rule"] == "wt2023-ch3-referrer"
    assert item["source"] == f"{WT2023} ch.3 Strategy discussion"
    assert "referrer" not in required(answer)

    assert "referrer" not in recommended(triage_for("national", "neglect"))


def test_national_ch3_icpc_within_15_working_days_of_discussion_initiating_section_47() -> None:
    item = clocks_for("national", held_at="2026-03-04T15:00:00", section_47=True)["icpc_held"]
    assert item["rule"] == "wt2023-ch3-icpc-15-working-days"
    assert item["due"] == "2026-03-25T23:59:59+00:00"
    assert item["starts"] == "held"
    assert item["source"] == f"{WT2023} ch.3 Initial child protection conferences"

    friday = clocks_for(
        "national", identified_at=FRIDAY, held_at="2026-03-06T16:00:00", section_47=True
    )
    assert friday["icpc_held"]["due"] == "2026-03-27T23:59:59+00:00"

    # Held Monday 30 March 2026: Good Friday and Easter Monday do not count.
    easter = clocks_for(
        "national",
        identified_at="2026-03-30T09:30:00",
        held_at="2026-03-30T14:00:00",
        section_47=True,
    )
    assert easter["icpc_held"]["due"] == "2026-04-22T23:59:59+01:00"

    # Held Monday 14 December 2026: 25 and 28 December and 1 January are bank holidays.
    christmas = clocks_for(
        "national",
        identified_at="2026-12-14T09:30:00",
        held_at="2026-12-14T14:00:00",
        section_47=True,
    )
    assert christmas["icpc_held"]["due"] == "2027-01-07T23:59:59+00:00"

    assert "icpc_held" not in clocks_for("national", section_47=False)


def test_national_ch3_assessment_within_45_working_days_of_referral() -> None:
    # From the referral (identification), not the discussion; Easter and 4 May excluded.
    item = clocks_for("national", identified_at=WEDNESDAY, held_at="2026-03-09T10:00:00")[
        "assessment_completed"
    ]
    assert item["rule"] == "wt2023-ch3-assessment-45-working-days"
    assert item["starts"] == "identified"
    assert item["due"] == "2026-05-11T23:59:59+01:00"
    assert item["source"] == f"{WT2023} ch.3 Assessment timescales"


def test_national_sets_no_timescale_for_holding_the_discussion() -> None:
    answer = triage_for("national", "physical_abuse", flags=("immediate_risk", "serious_harm"))
    assert answer["timescales"] == []
    assert answer["hold_by"] is None


def test_national_has_no_complex_type_meeting_rule_or_steps() -> None:
    answer = triage_for(
        "national",
        "organised_abuse",
        perpetrators=[{"position_of_trust": True}, {}],
        children=[{"household": "h1"}, {"household": "h2"}],
    )
    assert answer["discussion_type"] == "standard"
    assert answer["complex_reasons"] == []
    assert answer["meeting_required"] is False
    assert answer["meeting_recommended"] == []
    assert steps(answer) == {}


def test_national_clocks_are_only_icpc_and_assessment() -> None:
    assert set(clocks_for("national", section_47=True)) == {"icpc_held", "assessment_completed"}
    assert set(clocks_for("national", section_47=False)) == {"assessment_completed"}


COVERED = {
    "wt2023-ch3-chair-social-care",
    "wt2023-ch3-minimum-attendees",
    "wt2023-ch3-referrer",
    "wt2023-ch3-icpc-15-working-days",
    "wt2023-ch3-assessment-45-working-days",
}


def test_every_national_rule_has_a_test_here() -> None:
    profile = get_profile("national")
    ids = {compiled.rule.id for rules in profile.rules.values() for compiled in rules}
    assert ids == COVERED


def test_every_national_rule_cites_working_together_2023() -> None:
    profile = get_profile("national")
    for rules in profile.rules.values():
        for compiled in rules:
            assert compiled.citation.startswith(f"{WT2023} ch.3 "), compiled.rule.id
