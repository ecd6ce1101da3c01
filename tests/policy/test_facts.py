"""Facts are validated strictly: unknown fields, unknown codes and bad dates are refused."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from strategise.policy import FactsError, parse_facts, triage


def _problems(data: Any) -> list[str]:
    with pytest.raises(FactsError) as caught:
        triage(data)
    return caught.value.problems


def test_minimal_facts_take_the_contract_defaults() -> None:
    facts = parse_facts(
        {"profile": "national", "identified_at": "2026-03-04T10:00", "concerns": ["neglect"]}
    )
    assert facts.children == []
    assert facts.alleged_perpetrators == []
    assert facts.referrer is None
    assert not any(value for _, value in facts.flags)


def test_a_child_takes_the_contract_defaults() -> None:
    facts = parse_facts(
        {
            "profile": "national",
            "identified_at": "2026-03-04T10:00",
            "concerns": ["neglect"],
            "children": [{"date_of_birth": "2015-04-01"}],
        }
    )
    child = facts.children[0]
    assert child.date_of_birth == date(2015, 4, 1)
    assert (child.household, child.cp_plan, child.education) == ("h1", "none", "school")
    assert not (child.unborn or child.looked_after or child.in_hospital)


def test_facts_must_be_an_object() -> None:
    assert _problems(["not", "an", "object"]) == ["facts: must be a JSON object"]


def test_missing_required_fields_are_named() -> None:
    assert _problems({"profile": "national"}) == [
        "identified_at: required but missing",
        "concerns: required but missing",
    ]


def test_unknown_profile_names_the_profiles_there_are() -> None:
    problems = _problems(
        {"profile": "narnia", "identified_at": "2026-03-04T10:00", "concerns": ["neglect"]}
    )
    assert len(problems) == 1
    assert problems[0].startswith("profile: 'narnia' is not a profile; choose one of: ")
    assert "sandwell" in problems[0]


def test_unknown_profile_is_reported_beside_other_problems() -> None:
    problems = _problems({"profile": "narnia", "concerns": ["neglect"]})
    assert problems[0].startswith("profile: 'narnia' is not a profile")
    assert problems[1] == "identified_at: required but missing"


def test_unknown_concern_lists_the_allowed_codes() -> None:
    problems = _problems(
        {"profile": "national", "identified_at": "2026-03-04T10:00", "concerns": ["bullying"]}
    )
    assert problems[0].startswith("concerns[0]: Input should be 'physical_abuse'")
    assert "'child_death_with_surviving_siblings'" in problems[0]
    assert problems[0].endswith("(got 'bullying')")


def test_no_concerns_is_refused() -> None:
    problems = _problems(
        {"profile": "national", "identified_at": "2026-03-04T10:00", "concerns": []}
    )
    assert problems[0].startswith("concerns: List should have at least 1 item")


def test_unknown_top_level_field_is_refused() -> None:
    problems = _problems(
        {
            "profile": "national",
            "identified_at": "2026-03-04T10:00",
            "concerns": ["neglect"],
            "urgency": "high",
        }
    )
    assert problems == ["urgency: unknown field; remove it or check its spelling"]


def test_unknown_flag_is_refused() -> None:
    problems = _problems(
        {
            "profile": "national",
            "identified_at": "2026-03-04T10:00",
            "concerns": ["neglect"],
            "flags": {"very_urgent": True},
        }
    )
    assert problems == ["flags.very_urgent: unknown field; remove it or check its spelling"]


def test_unknown_child_field_and_bad_code_name_the_child() -> None:
    problems = _problems(
        {
            "profile": "national",
            "identified_at": "2026-03-04T10:00",
            "concerns": ["neglect"],
            "children": [{}, {"education": "home", "nickname": "Sam"}],
        }
    )
    assert problems[0].startswith("children[1].education: Input should be 'school'")
    assert problems[1] == "children[1].nickname: unknown field; remove it or check its spelling"


def test_bad_date_of_birth_is_refused() -> None:
    problems = _problems(
        {
            "profile": "national",
            "identified_at": "2026-03-04T10:00",
            "concerns": ["neglect"],
            "children": [{"date_of_birth": "31/02/2015"}],
        }
    )
    assert problems[0].startswith("children[0].date_of_birth: ")
    assert problems[0].endswith("(got '31/02/2015')")


def test_identified_at_as_a_number_is_not_read_as_a_timestamp() -> None:
    problems = _problems(
        {"profile": "national", "identified_at": 1772618400, "concerns": ["neglect"]}
    )
    assert problems == [
        "identified_at: must be an ISO 8601 datetime written as text (got 1772618400)"
    ]


def test_date_of_birth_as_a_number_is_refused() -> None:
    problems = _problems(
        {
            "profile": "national",
            "identified_at": "2026-03-04T10:00",
            "concerns": ["neglect"],
            "children": [{"date_of_birth": 20150401}],
        }
    )
    assert problems == [
        "children[0].date_of_birth: must be an ISO 8601 date written as text (got 20150401)"
    ]


def test_a_flag_must_be_true_or_false_not_a_string() -> None:
    problems = _problems(
        {
            "profile": "national",
            "identified_at": "2026-03-04T10:00",
            "concerns": ["neglect"],
            "flags": {"serious_harm": "yes"},
        }
    )
    assert problems == ["flags.serious_harm: Input should be a valid boolean (got 'yes')"]


def test_identified_at_with_an_offset_is_kept_as_that_instant() -> None:
    answer = triage(
        {
            "profile": "national",
            "identified_at": "2026-07-01T16:30:00+00:00",
            "concerns": ["neglect"],
        }
    )
    # 16:30 UTC is 17:30 in London in July: out of hours.
    assert answer.out_of_hours is True
