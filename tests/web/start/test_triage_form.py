"""The triage form turns what was typed into the contract's input facts."""

from __future__ import annotations

from typing import Any

from strategise.web.start.forms import TriageForm


def facts_for(submission: dict[str, Any]) -> dict[str, Any]:
    form = TriageForm(submission)
    assert form.is_valid(), form.errors
    return form.to_facts()


def test_time_is_london_time_without_an_offset(valid_triage: dict[str, Any]) -> None:
    assert facts_for(valid_triage)["identified_at"] == "2026-03-06T10:15:00"


def test_time_may_be_written_with_a_full_stop(valid_triage: dict[str, Any]) -> None:
    valid_triage["identified_time"] = "9.05"
    assert facts_for(valid_triage)["identified_at"] == "2026-03-06T09:05:00"


def test_children_share_the_last_household(valid_triage: dict[str, Any]) -> None:
    valid_triage["children"] = "3"
    valid_triage["households"] = "2"
    children = facts_for(valid_triage)["children"]
    assert [child["household"] for child in children] == ["h1", "h2", "h2"]


def test_facts_about_the_child_apply_to_the_first_child(valid_triage: dict[str, Any]) -> None:
    valid_triage["children"] = "2"
    valid_triage["child_facts"] = ["looked_after", "in_hospital"]
    valid_triage["cp_plan"] = "current"
    first, second = facts_for(valid_triage)["children"]
    assert first["looked_after"] is True
    assert first["in_hospital"] is True
    assert first["cp_plan"] == "current"
    assert "looked_after" not in second


def test_position_of_trust_becomes_an_alleged_perpetrator(valid_triage: dict[str, Any]) -> None:
    valid_triage["position_of_trust"] = "yes"
    assert facts_for(valid_triage)["alleged_perpetrators"] == [{"position_of_trust": True}]


def test_ticked_flags_are_true(valid_triage: dict[str, Any]) -> None:
    valid_triage["flags"] = ["immediate_risk", "forensic_window"]
    assert facts_for(valid_triage)["flags"] == {"immediate_risk": True, "forensic_window": True}


def _on(valid_triage: dict[str, Any], day: str, month: str, year: str, at: str) -> TriageForm:
    valid_triage.update(identified_day=day, identified_month=month, identified_year=year)
    valid_triage["identified_time"] = at
    return TriageForm(valid_triage)


def test_a_time_the_clocks_skipped_is_refused(valid_triage: dict[str, Any]) -> None:
    form = _on(valid_triage, "29", "3", "2026", "01:30")
    assert not form.is_valid()
    assert form.errors["identified_time"] == [
        "There was no 01:30 in the UK that day: the clocks went forward from 01:00 to 02:00. "
        "Enter the time again"
    ]


def test_a_time_the_clocks_repeated_is_the_first_of_the_two(valid_triage: dict[str, Any]) -> None:
    form = _on(valid_triage, "25", "10", "2026", "01:30")
    assert form.is_valid(), form.errors
    assert form.to_facts()["identified_at"] == "2026-10-25T01:30:00+01:00"


def test_a_year_the_rules_do_not_cover_is_refused(valid_triage: dict[str, Any]) -> None:
    form = _on(valid_triage, "31", "12", "9999", "10:00")
    assert not form.is_valid()
    assert form.errors["identified_date"] == ["The year must be from 2000 to 2099"]
