"""Each kind of condition a profile rule can state, compiled and evaluated."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from strategise.policy.facts import Child
from strategise.policy.schema import Condition
from strategise.policy.situation import Situation, compile_condition, within_six_months_of_18

ON = date(2026, 3, 4)


def _situation(**changes: Any) -> Situation:
    values: dict[str, Any] = {
        "concerns": frozenset({"neglect"}),
        "flags": frozenset(),
        "children": (),
        "households": 0,
        "perpetrators": 0,
        "position_of_trust": False,
        "referrer_known": False,
        "out_of_hours": False,
        "identified_on": ON,
    }
    values.update(changes)
    return Situation(**values)


def _holds(
    condition: dict[str, Any], situation: Situation, named: dict[str, Any] | None = None
) -> bool:
    return compile_condition(Condition.model_validate(condition), named or {})(situation)


def test_empty_condition_always_holds() -> None:
    assert _holds({}, _situation())


def test_any_concern() -> None:
    assert _holds({"any_concern": ["neglect", "fgm"]}, _situation())
    assert not _holds({"any_concern": ["fgm"]}, _situation())


def test_any_all_and_no_flag() -> None:
    both = _situation(flags=frozenset({"serious_harm", "immediate_risk"}))
    one = _situation(flags=frozenset({"serious_harm"}))
    assert _holds({"any_flag": ["immediate_risk", "forensic_window"]}, both)
    assert not _holds({"any_flag": ["forensic_window"]}, both)
    assert _holds({"all_flags": ["serious_harm", "immediate_risk"]}, both)
    assert not _holds({"all_flags": ["serious_harm", "immediate_risk"]}, one)
    assert _holds({"no_flag": ["immediate_risk"]}, one)
    assert not _holds({"no_flag": ["immediate_risk"]}, both)


def test_counts_of_children_households_and_perpetrators() -> None:
    situation = _situation(children=(Child(), Child()), households=2, perpetrators=1)
    assert _holds({"min_children": 2}, situation)
    assert not _holds({"min_children": 3}, situation)
    assert _holds({"min_households": 2}, situation)
    assert not _holds({"min_households": 3}, situation)
    assert _holds({"min_perpetrators": 1}, situation)
    assert not _holds({"min_perpetrators": 2}, situation)


@pytest.mark.parametrize(
    "field", ["position_of_trust", "referrer_known", "out_of_hours", "section_47"]
)
def test_yes_or_no_facts(field: str) -> None:
    assert _holds({field: True}, _situation(**{field: True}))
    assert not _holds({field: True}, _situation())
    assert _holds({field: False}, _situation())


def test_discussion_type() -> None:
    assert _holds({"discussion_type": "complex"}, _situation(discussion_type="complex"))
    assert not _holds({"discussion_type": "complex"}, _situation())


@pytest.mark.parametrize(
    ("condition", "child"),
    [
        ({"unborn": True}, {"unborn": True}),
        ({"looked_after": True}, {"looked_after": True}),
        ({"in_hospital": True}, {"in_hospital": True}),
        ({"may_be_charged": True}, {"may_be_charged": True}),
        ({"home_authority_elsewhere": True}, {"home_authority": "Birmingham"}),
        ({"cp_plan": ["current", "ended_within_2_years"]}, {"cp_plan": "ended_within_2_years"}),
        ({"education": ["pre_school"]}, {"education": "pre_school"}),
        (
            {"care_needs_within_six_months_of_18": True},
            {"care_and_support_needs": True, "date_of_birth": "2008-06-01"},
        ),
    ],
)
def test_a_child_matching_each_child_condition(
    condition: dict[str, Any], child: dict[str, Any]
) -> None:
    matching = _situation(children=(Child(), Child.model_validate(child)))
    assert _holds({"any_child": condition}, matching)
    assert not _holds({"any_child": condition}, _situation(children=(Child(),)))


def test_child_conditions_must_all_hold_for_the_same_child() -> None:
    situation = _situation(children=(Child(unborn=True), Child(in_hospital=True)))
    assert not _holds({"any_child": {"unborn": True, "in_hospital": True}}, situation)


def test_a_child_matching_every_child_condition_at_once() -> None:
    condition = {"any_child": {"looked_after": True, "under_age": 5, "cp_plan": ["current"]}}
    every = Child.model_validate(
        {"looked_after": True, "date_of_birth": "2022-01-01", "cp_plan": "current"}
    )
    too_old = Child.model_validate(
        {"looked_after": True, "date_of_birth": "2020-01-01", "cp_plan": "current"}
    )
    assert _holds(condition, _situation(children=(every,)))
    assert not _holds(condition, _situation(children=(too_old,)))


def test_care_needs_near_18_needs_both_the_care_needs_and_the_age() -> None:
    condition = {"any_child": {"care_needs_within_six_months_of_18": True}}
    near_18 = Child.model_validate({"date_of_birth": "2008-06-01"})
    assert not _holds(condition, _situation(children=(near_18,)))


def test_an_unborn_child_has_no_education_setting() -> None:
    situation = _situation(children=(Child(unborn=True),))
    assert not _holds({"any_child": {"education": ["school"]}}, situation)


def test_no_children_means_no_child_condition_holds() -> None:
    assert not _holds({"any_child": {"unborn": False}}, _situation())


def test_any_of_and_not() -> None:
    situation = _situation(position_of_trust=True)
    assert _holds({"any_of": [{"any_concern": ["fgm"]}, {"position_of_trust": True}]}, situation)
    assert not _holds({"any_of": [{"any_concern": ["fgm"]}, {"min_children": 1}]}, situation)
    assert _holds({"any_of": [{"position_of_trust": True}, {"any_concern": ["fgm"]}]}, situation)
    assert _holds({"not": {"any_concern": ["fgm"]}}, situation)
    assert not _holds({"not": {"position_of_trust": True}}, situation)


def test_every_field_of_a_condition_must_hold() -> None:
    condition = {"any_concern": ["neglect"], "position_of_trust": True}
    assert _holds(condition, _situation(position_of_trust=True))
    assert not _holds(condition, _situation())


def test_named_condition_by_reference() -> None:
    named = {"urgent": lambda s: "serious_harm" in s.flags}
    assert _holds({"ref": "urgent"}, _situation(flags=frozenset({"serious_harm"})), named)
    assert not _holds({"ref": "urgent"}, _situation(), named)


@pytest.mark.parametrize(
    ("born", "expected"),
    [
        ("2008-09-05", False),  # 18 in exactly six months and a day: not yet within six months
        ("2008-09-04", False),  # 18 in exactly six months: not less than six months
        ("2008-09-03", True),  # 18 in just under six months
        ("2008-03-05", True),  # 18 tomorrow
        ("2008-03-04", False),  # 18 today: an adult
        (None, False),  # date of birth not known: nothing is guessed
    ],
)
def test_within_six_months_of_18(born: str | None, expected: bool) -> None:
    child = Child.model_validate({"date_of_birth": born})
    assert within_six_months_of_18(child, ON) is expected


def test_an_empty_child_condition_holds_when_there_is_any_child() -> None:
    assert _holds({"any_child": {}}, _situation(children=(Child(),)))
    assert not _holds({"any_child": {}}, _situation())


@pytest.mark.parametrize(
    ("child", "expected"),
    [
        ({"date_of_birth": "2021-03-05"}, True),  # five tomorrow
        ({"date_of_birth": "2021-03-04"}, False),  # five today
        ({"unborn": True}, True),
        ({}, False),  # date of birth not known: nothing is guessed
    ],
)
def test_a_child_under_an_age(child: dict[str, Any], expected: bool) -> None:
    situation = _situation(children=(Child.model_validate(child),))
    assert _holds({"any_child": {"under_age": 5}}, situation) is expected
