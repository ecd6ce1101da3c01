"""How triage and clocks combine rules: strictest wins, every rule reported, merged by code.

These use a made-up procedure (``fixtures/engine.yaml`` extending ``fixtures/base.yaml``)
so that each mechanism is tested on its own, apart from any real procedure's text.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from strategise.policy import FactsError, ProfileError, clocks, triage
from strategise.policy.profiles import build_profile, load_directory
from strategise.policy.triage import iso

FIXTURES = Path(__file__).parent / "fixtures"
# Loaded once for speed; a test of how a profile is built loads its own (``_fresh``).
PROFILES = load_directory(FIXTURES)


def _fresh(*, flags: tuple[str, ...] = (), **facts: Any) -> dict[str, Any]:
    """``_triage`` with the fixture profiles built inside the test itself."""
    data = {
        "profile": "engine",
        "identified_at": "2026-03-04T10:00:00",
        "concerns": ["neglect"],
        "flags": {flag: True for flag in flags},
        **facts,
    }
    return triage(data, load_directory(FIXTURES)).to_dict()


def _triage(*, flags: tuple[str, ...] = (), **facts: Any) -> dict[str, Any]:
    data = {
        "profile": "engine",
        "identified_at": "2026-03-04T10:00:00",
        "concerns": ["neglect"],
        "flags": {flag: True for flag in flags},
        **facts,
    }
    return triage(data, PROFILES).to_dict()


def _clocks(**kwargs: Any) -> dict[str, dict[str, Any]]:
    kwargs.setdefault("identified_at", "2026-03-04T10:00:00")
    kwargs.setdefault("held_at", "2026-03-04T15:00:00")
    answer = clocks(profile="engine", profiles=PROFILES, **kwargs).to_dict()
    return {clock["code"]: clock for clock in answer["clocks"]}


def test_hold_by_is_the_earliest_timescale_and_all_are_reported() -> None:
    answer = _triage(flags=("serious_harm",))
    assert answer["hold_by"] == "2026-03-04T23:59:59+00:00"
    assert [t["id"] for t in answer["timescales"]] == ["engine-4-same-day", "engine-4-five-days"]
    assert answer["timescales"][1]["hold_by"] == "2026-03-11T23:59:59+00:00"
    assert answer["timescales"][1]["source"] == "engine.txt §4"
    assert answer["timescales"][1]["within"] == "five working days"


def test_no_timescale_means_no_hold_by() -> None:
    answer = triage(
        {"profile": "base", "identified_at": "2026-03-04T10:00", "concerns": ["neglect"]},
        PROFILES,
    ).to_dict()
    assert answer["hold_by"] is None
    assert answer["timescales"] == []


def test_without_chair_rules_any_grade_may_chair() -> None:
    chair = triage(
        {"profile": "base", "identified_at": "2026-03-04T10:00", "concerns": ["neglect"]},
        PROFILES,
    ).to_dict()["chair"]
    assert chair["minimum_grade"] is None
    assert chair["source"] is None
    assert chair["allowed_grades"][0] == "social_worker"


def test_without_chair_rules_the_chair_answer_keeps_the_contracts_shape() -> None:
    chair = triage(
        {"profile": "base", "identified_at": "2026-03-04T10:00", "concerns": ["neglect"]},
        PROFILES,
    ).to_dict()["chair"]
    with_rule = _triage()["chair"]
    assert set(chair) == set(with_rule)
    assert chair["exceptions"] == []
    assert chair["reason"] is None
    assert chair["rule"] is None


def test_strictest_chair_rule_wins_and_the_others_are_reported() -> None:
    chair = _triage()["chair"]
    assert chair["minimum_grade"] == "team_manager"
    assert chair["rule"] == "engine-5-team-manager"
    assert [other["rule"] for other in chair["also"]] == ["engine-5-deputy-team-manager"]
    assert chair["allowed_grades"][0] == "team_manager"
    assert "deputy_team_manager" not in chair["allowed_grades"]


def test_complex_chair_exception_listed_but_not_applied_without_the_flag() -> None:
    chair = _triage(children=[{}, {}, {}])["chair"]
    assert chair["minimum_grade"] == "head_of_service"
    assert chair["exceptions"] == [
        {
            "grade": "team_manager",
            "condition": "A team manager with proven expertise.",
            "applies": False,
            "source": "engine.txt §5",
        },
        {
            "grade": None,
            "condition": "Someone from the safeguarding unit.",
            "applies": None,
            "source": "engine.txt §5",
        },
    ]
    assert chair["allowed_grades"] == ["head_of_service", "director"]


def test_chair_exception_applies_when_its_condition_holds() -> None:
    chair = _triage(children=[{}, {}, {}], flags=("chair_has_specialist_expertise",))["chair"]
    assert chair["minimum_grade"] == "head_of_service"
    assert chair["exceptions"][0]["applies"] is True
    assert chair["allowed_grades"][0] == "team_manager"


def test_chair_exception_condition_is_compiled_with_the_profile() -> None:
    # Built here, not at import, so the compiling of ``applies_when`` itself is tested.
    holds = _fresh(children=[{}, {}, {}], flags=("chair_has_specialist_expertise",))
    fails = _fresh(children=[{}, {}, {}])
    assert holds["chair"]["exceptions"][0]["applies"] is True
    assert fails["chair"]["exceptions"][0]["applies"] is False


def test_every_cited_answer_carries_its_rule_id_from_the_built_profile() -> None:
    answer = _fresh(children=[{}, {}, {}])
    assert answer["complex_reasons"][0] == {
        "reason": "Three or more children.",
        "source": "engine.txt §2",
        "rule": "engine-2-many-children",
    }
    assert answer["chair"]["rule"] == "engine-5-complex-head-of-service"


def test_clocks_answer_carries_the_inputs_it_was_computed_from() -> None:
    answer = clocks(
        profile="engine",
        profiles=PROFILES,
        identified_at="2026-03-04T10:00:00",
        held_at="2026-03-04T15:00:00",
        section_47=True,
    ).to_dict()
    engine = PROFILES["engine"]
    assert answer == {
        "profile": "engine",
        "profile_version": f"{engine.version} ({engine.digest})",
        "identified_at": "2026-03-04T10:00:00+00:00",
        "held_at": "2026-03-04T15:00:00+00:00",
        "out_of_hours": False,
        "section_47": True,
        "discussion_type": "standard",
        "clocks": [
            {
                "code": "child_seen",
                "due": "2026-03-05T23:59:59+00:00",
                "reason": "Seen.",
                "rule": "engine-8-seen",
                "source": "engine.txt §8",
                "starts": "identified",
                "within": "one working day",
            },
            {
                "code": "minutes_distributed",
                "due": "2026-03-06T23:59:59+00:00",
                "reason": "Minutes in two working days.",
                "rule": "engine-8-minutes",
                "source": "engine.txt §8",
                "starts": "held",
                "within": "two working days",
            },
            {
                "code": "icpc_held",
                "due": "2026-03-25T23:59:59+00:00",
                "reason": "Conference.",
                "rule": "base-2-conference",
                "source": "base.txt §2",
                "starts": "held",
                "within": "15 working days",
            },
        ],
    }


def test_a_discussion_may_be_held_at_the_instant_concerns_were_identified() -> None:
    codes = _clocks(identified_at="2026-03-04T10:00:00", held_at="2026-03-04T10:00:00")
    assert codes["minutes_distributed"]["due"] == "2026-03-06T23:59:59+00:00"


def test_a_bad_clocks_input_is_echoed_in_its_error() -> None:
    with pytest.raises(FactsError, match=r"^identified_at: must be an ISO 8601 .* \(got 12\)$"):
        _clocks(identified_at=12)
    with pytest.raises(FactsError, match=r"^held_at: .* \(got 'soon'\)$"):
        _clocks(held_at="soon")
    with pytest.raises(FactsError, match=r"must be 'standard' or 'complex' \(got 'urgent'\)"):
        _clocks(discussion_type="urgent")


def test_complex_reasons_and_required_meeting() -> None:
    answer = _triage(children=[{}, {}, {}])
    assert answer["discussion_type"] == "complex"
    assert answer["complex_reasons"] == [
        {
            "reason": "Three or more children.",
            "source": "engine.txt §2",
            "rule": "engine-2-many-children",
        }
    ]
    assert answer["meeting_required"] is True
    assert [r["rule"] for r in answer["meeting_reasons"]] == ["engine-3-complex-meeting"]


def test_recommended_meeting_does_not_make_a_meeting_required() -> None:
    answer = _triage(children=[{"unborn": True}])
    assert answer["discussion_type"] == "standard"
    assert answer["meeting_required"] is False
    assert [r["rule"] for r in answer["meeting_recommended"]] == ["engine-3-unborn-meeting"]


def test_attendee_asked_for_twice_is_listed_once_with_both_rules() -> None:
    required = {item["code"]: item for item in _triage()["attendees"]["required"]}
    police = required["police"]
    assert police["rule"] == "engine-6-police-again"
    assert police["also"] == [
        {"reason": "Core agencies.", "source": "base.txt §1", "rule": "base-1-core"}
    ]
    assert "also" not in required["health"]


def test_required_attendee_is_not_also_recommended() -> None:
    answer = _triage(referrer="school")
    recommended = {item["code"]: item for item in answer["attendees"]["recommended"]}
    assert set(recommended) == {"legal", "referrer"}
    assert [other["rule"] for other in recommended["legal"]["also"]] == ["engine-6-legal-again"]


def test_steps_follow_their_conditions() -> None:
    assert _triage()["steps"] == []
    steps = _triage(alleged_perpetrators=[{"position_of_trust": True}])["steps"]
    assert steps == [
        {
            "code": "lado_referral",
            "reason": "LADO.",
            "source": "engine.txt §7",
            "rule": "engine-7-lado",
        }
    ]


def test_profile_version_carries_the_files_digest() -> None:
    version = _triage()["profile_version"]
    assert version.startswith("7 (") and len(version) == len("7 (") + 12 + 1


def test_clocks_keep_the_earliest_of_two_rules_and_report_the_other() -> None:
    found = _clocks(discussion_type="complex")
    minutes = found["minutes_distributed"]
    assert minutes["due"] == "2026-03-05T15:00:00+00:00"
    assert minutes["rule"] == "engine-8-minutes-complex"
    assert minutes["also"] == [
        {
            "reason": "Minutes in two working days.",
            "source": "engine.txt §8",
            "rule": "engine-8-minutes",
            "due": "2026-03-06T23:59:59+00:00",
        }
    ]


def test_clocks_apply_only_when_their_condition_holds() -> None:
    found = _clocks()
    assert set(found) == {"minutes_distributed"}
    assert "also" not in found["minutes_distributed"]


def test_clock_starting_at_identification() -> None:
    found = _clocks(section_47=True, held_at="2026-03-05T15:00:00")
    assert found["child_seen"]["due"] == "2026-03-05T23:59:59+00:00"
    assert found["child_seen"]["starts"] == "identified"


def test_out_of_hours_is_read_from_the_time_held() -> None:
    found = _clocks(held_at="2026-03-06T20:00:00")
    assert found["out_of_hours_record_sent"]["due"] == "2026-03-09T09:00:00+00:00"


def test_out_of_hours_can_be_stated() -> None:
    assert "out_of_hours_record_sent" not in _clocks(held_at="2026-03-06T20:00", out_of_hours=False)
    assert "out_of_hours_record_sent" in _clocks(out_of_hours=True)


def test_clocks_are_ordered_by_due_time() -> None:
    answer = clocks(
        profile="engine",
        profiles=PROFILES,
        identified_at="2026-03-04T10:00",
        held_at="2026-03-04T15:00",
        section_47=True,
    ).to_dict()
    assert [clock["code"] for clock in answer["clocks"]] == [
        "child_seen",
        "minutes_distributed",
        "icpc_held",
    ]
    assert answer["held_at"] == "2026-03-04T15:00:00+00:00"
    assert answer["out_of_hours"] is False


def test_clocks_accept_aware_datetimes() -> None:
    from datetime import UTC, datetime

    answer = clocks(
        profile="engine",
        profiles=PROFILES,
        identified_at=datetime(2026, 7, 1, 9, 0, tzinfo=UTC),
        held_at=datetime(2026, 7, 1, 14, 0, tzinfo=UTC),
    ).to_dict()
    assert answer["held_at"] == "2026-07-01T15:00:00+01:00"


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"held_at": "yesterday"}, "held_at: must be an ISO 8601 date and time"),
        ({"identified_at": None}, "identified_at: must be an ISO 8601 date and time"),
        ({"held_at": "2026-03-03T10:00"}, "held_at: the discussion cannot be held before"),
        ({"discussion_type": "urgent"}, "discussion_type: must be 'standard' or 'complex'"),
    ],
)
def test_bad_clocks_input_is_refused(kwargs: dict[str, Any], problem: str) -> None:
    with pytest.raises(FactsError) as caught:
        _clocks(**kwargs)
    assert caught.value.problems[0].startswith(problem)


def test_clocks_for_an_unknown_profile() -> None:
    with pytest.raises(FactsError, match="profile: 'narnia' is not a profile; choose one of: base"):
        clocks(
            profile="narnia",
            identified_at="2026-03-04T10:00",
            held_at="2026-03-04T11:00",
            profiles=PROFILES,
        )


def test_building_a_profile_whose_parent_is_not_the_one_named() -> None:
    fixtures = Path(__file__).parent / "fixtures"
    with pytest.raises(ProfileError, match="extends: 'base' is not a loaded profile"):
        build_profile(fixtures / "engine.yaml", None)


def test_a_triage_answer_gives_python_callers_the_facts_its_json_states() -> None:
    data = {
        "profile": "engine",
        "identified_at": "2026-03-04T10:00:00",
        "concerns": ["neglect"],
        "flags": {"serious_harm": True},
    }
    answer = triage(data, PROFILES)
    json = answer.to_dict()
    assert (answer.profile, answer.discussion_type) == ("engine", json["discussion_type"])
    assert answer.hold_by is not None
    assert iso(answer.hold_by) == json["hold_by"] == "2026-03-04T23:59:59+00:00"


def test_a_time_is_written_to_the_second_with_its_offset() -> None:
    moment = datetime(2026, 3, 6, 10, 15, 30, 123456, tzinfo=UTC)
    assert iso(moment) == "2026-03-06T10:15:30+00:00"
    assert iso(moment.replace(microsecond=0)) == "2026-03-06T10:15:30+00:00"
