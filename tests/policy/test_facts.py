"""Facts are validated strictly: unknown fields, unknown codes and bad dates are refused."""

from __future__ import annotations

from datetime import UTC, date
from typing import Any

import pytest

from strategise.policy import FactsError, parse_facts, triage
from strategise.policy.facts import echo


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


# --- education by age when it is not given (triage-contract.md, Input facts) --------


def _education(born: str | None, on: str = "2026-03-06T10:00", **child: Any) -> str:
    if born is not None:
        child["date_of_birth"] = born
    facts = parse_facts(
        {"profile": "national", "identified_at": on, "concerns": ["neglect"], "children": [child]}
    )
    return facts.children[0].education


@pytest.mark.parametrize(
    ("born", "expected", "why"),
    [
        ("2025-12-12", "none", "12 weeks old"),
        ("2024-03-07", "none", "2 tomorrow"),
        ("2024-03-06", "pre_school", "2 today"),
        # 5 on 1 March 2026: of compulsory school age from the next prescribed day, 31 March.
        ("2021-03-01", "pre_school", "5, before the prescribed day after the birthday"),
        # 5 on 31 December 2025, itself a prescribed day: of compulsory school age since then.
        ("2020-12-31", "school", "5 on a prescribed day"),
        ("2010-03-07", "school", "16 tomorrow"),
        ("2010-03-06", "college", "16 today"),
        ("2008-03-07", "college", "18 tomorrow"),
        ("2008-03-06", "none", "18 today: no longer a child"),
    ],
    ids=lambda value: value if " " in str(value) else "",
)
def test_education_defaults_by_age(born: str, expected: str, why: str) -> None:
    assert _education(born) == expected, why


def test_compulsory_school_age_starts_on_the_prescribed_day_after_the_fifth_birthday() -> None:
    # 5 on 1 April 2026: pre-school until 31 August 2026, school from that day.
    assert _education("2021-04-01", on="2026-08-30T10:00") == "pre_school"
    assert _education("2021-04-01", on="2026-08-31T10:00") == "school"
    # 5 on 1 September 2026: school from 31 December 2026.
    assert _education("2021-09-01", on="2026-12-30T10:00") == "pre_school"
    assert _education("2021-09-01", on="2026-12-31T10:00") == "school"


def test_education_default_is_none_for_an_unborn_child() -> None:
    assert _education(None, unborn=True) == "none"
    assert _education("2026-05-01", unborn=True) == "none"


def test_education_default_is_school_without_a_date_of_birth() -> None:
    assert _education(None) == "school"


def test_education_given_is_kept_whatever_the_age() -> None:
    assert _education("2025-12-12", education="pre_school") == "pre_school"


def test_a_twelve_week_old_in_gloucestershire_needs_no_school() -> None:
    """A baby of 12 weeks is not at school: no education setting is asked to attend."""
    answer = triage(
        {
            "profile": "gloucestershire",
            "identified_at": "2026-03-04T10:00",
            "concerns": ["physical_abuse"],
            "children": [{"date_of_birth": "2025-12-10"}],
        }
    ).to_dict()
    codes = {a["code"] for level in answer["attendees"].values() for a in level}
    assert "education" not in codes
    at_school = triage(
        {
            "profile": "gloucestershire",
            "identified_at": "2026-03-04T10:00",
            "concerns": ["physical_abuse"],
            "children": [{"date_of_birth": "2016-12-10"}],
        }
    ).to_dict()
    assert "education" in {a["code"] for a in at_school["attendees"]["required"]}


# --- dates of birth that cannot be right --------------------------------------------


def test_a_date_of_birth_after_the_concerns_is_refused() -> None:
    problems = _problems(
        {
            "profile": "national",
            "identified_at": "2026-03-04T10:00",
            "concerns": ["neglect"],
            "children": [{}, {"date_of_birth": "2026-03-05"}],
        }
    )
    assert problems == [
        "children[1].date_of_birth: 2026-03-05 is after concerns were identified (2026-03-04): "
        "check the date, or set unborn to true for a baby not yet born"
    ]


def test_a_child_born_on_the_day_of_the_concerns_is_accepted() -> None:
    assert _education("2026-03-06") == "none"


def test_an_unborn_child_with_a_past_date_of_birth_is_refused() -> None:
    problems = _problems(
        {
            "profile": "national",
            "identified_at": "2026-03-04T10:00",
            "concerns": ["neglect"],
            "children": [{"unborn": True, "date_of_birth": "2026-03-03"}],
        }
    )
    assert problems == [
        "children[0].date_of_birth: 2026-03-03 is before concerns were identified "
        "(2026-03-04) but the child is unborn: give the expected date of birth, or set "
        "unborn to false"
    ]


def test_an_unborn_child_due_later_is_accepted() -> None:
    assert _education("2026-06-01", unborn=True) == "none"


# --- identified_at: a time, in London, that happened once ---------------------------


def _identified_at(value: object) -> list[str]:
    return _problems({"profile": "national", "identified_at": value, "concerns": ["neglect"]})


def test_a_date_without_a_time_is_refused() -> None:
    assert _identified_at("2026-03-06") == [
        "identified_at: must give the time as well as the date, such as 2026-03-06T10:15: "
        "the time is not guessed (got '2026-03-06')"
    ]


def test_text_that_is_no_date_is_refused() -> None:
    assert _identified_at("next Tuesday") == [
        "identified_at: must be an ISO 8601 date and time such as 2026-03-06T10:15 "
        "(got 'next Tuesday')"
    ]


def test_a_london_time_that_never_existed_is_refused() -> None:
    assert _identified_at("2026-03-29T01:30") == [
        "identified_at: 01:30 on 29 March 2026 never happened in London (the clocks went "
        "forward an hour): check the time (got '2026-03-29T01:30')"
    ]


def test_a_london_time_that_happened_twice_needs_an_offset() -> None:
    assert _identified_at("2026-10-25T01:30") == [
        "identified_at: 01:30 on 25 October 2026 happened twice in London (the clocks went "
        "back an hour): add the UTC offset, +01:00 for the first time or +00:00 for the "
        "second (got '2026-10-25T01:30')"
    ]


@pytest.mark.parametrize(("offset", "utc"), [("+01:00", "00:30"), ("+00:00", "01:30")])
def test_a_repeated_london_time_with_its_offset_is_that_instant(offset: str, utc: str) -> None:
    answer = triage(
        {"profile": "sandwell", "identified_at": f"2026-10-25T01:30{offset}", "concerns": ["fgm"]}
    )
    assert f"{answer.identified_at.astimezone(UTC):%H:%M}" == utc
    assert answer.identified_at.isoformat() == f"2026-10-25T01:30:00{offset}"


def test_a_year_outside_the_engine_s_range_is_refused() -> None:
    assert _identified_at("9999-12-31T23:00") == [
        "identified_at: must be in the years 2000 to 2099 (got '9999-12-31T23:00')"
    ]
    assert _identified_at("1999-12-31T23:00") == [
        "identified_at: must be in the years 2000 to 2099 (got '1999-12-31T23:00')"
    ]


def test_a_bad_value_is_echoed_cut_short() -> None:
    problems = _problems(
        {
            "profile": "national",
            "identified_at": "2026-03-04T10:00",
            "concerns": ["neglect"],
            "referrer": ["x" * 5000],
        }
    )
    assert problems == [f"referrer: Input should be a valid string (got ['{'x' * 37}…)"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("short", "'short'"),
        ("y" * 38, repr("y" * 38)),
        ("y" * 39, "'" + "y" * 38 + "…"),
        (7 * 10**60, "7" + "0" * 38 + "…"),
        ({"a": {"b": {"c": 1}}}, "{'a': {'b': {...}}}"),
    ],
)
def test_echo_quotes_at_most_40_characters(value: object, shown: str) -> None:
    assert echo(value) == shown
    assert len(echo(value)) <= 40


def test_every_problem_is_reported_at_once_in_the_message() -> None:
    with pytest.raises(FactsError) as caught:
        parse_facts({"profile": "sandwell"})
    assert len(caught.value.problems) == 2
    assert str(caught.value) == "; ".join(caught.value.problems)
    assert str(caught.value) == (
        "identified_at: required but missing; concerns: required but missing"
    )


def test_echo_of_a_long_text_does_not_depend_on_what_is_cut_off() -> None:
    # A quote beyond the cut would change how repr quotes the whole; it is never read.
    assert echo("a" * 41 + "'") == echo("a" * 41 + "b") == "'" + "a" * 38 + "…"


def test_an_unborn_child_due_on_the_day_of_the_concerns_is_accepted() -> None:
    assert _education("2026-03-06", unborn=True) == "none"


def test_echo_quotes_a_text_as_python_quotes_the_part_read() -> None:
    # The 40th character, a quote, is read (not shown): repr then uses double quotes.
    value = "a" * 39 + "'b"
    assert echo(value) == '"' + "a" * 38 + "…"
    assert echo(value) == repr(value)[:39] + "…"
