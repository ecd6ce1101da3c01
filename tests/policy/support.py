"""Small helpers that keep the per-clause tests short and readable."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from strategise.policy import clocks, triage

Test = TypeVar("Test", bound=Callable[..., None])

# A Wednesday in term time, in working hours, with no bank holiday near it.
WEDNESDAY = "2026-03-04T10:00:00"
# A Friday: "N working days" from here crosses a weekend.
FRIDAY = "2026-03-06T10:00:00"


def triage_for(
    profile: str,
    *concerns: str,
    identified_at: str = WEDNESDAY,
    flags: tuple[str, ...] = (),
    children: list[dict[str, Any]] | None = None,
    perpetrators: list[dict[str, Any]] | None = None,
    referrer: str | None = None,
) -> dict[str, Any]:
    """The contract's triage JSON for a case described in a line."""
    facts: dict[str, Any] = {
        "profile": profile,
        "identified_at": identified_at,
        "concerns": list(concerns) or ["neglect"],
        "flags": {flag: True for flag in flags},
    }
    if children is not None:
        facts["children"] = children
    if perpetrators is not None:
        facts["alleged_perpetrators"] = perpetrators
    if referrer is not None:
        facts["referrer"] = referrer
    return triage(facts).to_dict()


def clocks_for(profile: str, **kwargs: Any) -> dict[str, Any]:
    """The contract's clocks JSON, as a mapping of clock code to its entry."""
    kwargs.setdefault("identified_at", WEDNESDAY)
    kwargs.setdefault("held_at", "2026-03-04T15:00:00")
    answer = clocks(profile=profile, **kwargs).to_dict()
    return {clock["code"]: clock for clock in answer["clocks"]}


def timescale(answer: dict[str, Any], rule_id: str) -> str | None:
    """The hold-by time a named timescale rule gives, or None if it did not apply."""
    for entry in answer["timescales"]:
        if entry["id"] == rule_id:
            return str(entry["hold_by"])
    return None


def required(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Required attendees by code."""
    return {item["code"]: item for item in answer["attendees"]["required"]}


def recommended(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Recommended attendees by code."""
    return {item["code"]: item for item in answer["attendees"]["recommended"]}


def steps(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Steps by code."""
    return {item["code"]: item for item in answer["steps"]}


def rules_behind(item: dict[str, Any]) -> set[str]:
    """Every rule id that asked for an attendee or step (the first and the others)."""
    return {item["rule"], *(other["rule"] for other in item.get("also", []))}


def complex_rules(answer: dict[str, Any]) -> set[str]:
    """The ids of the rules that made the discussion complex."""
    return {reason["rule"] for reason in answer["complex_reasons"]}


def rule_coverage() -> tuple[set[str], Callable[..., Callable[[Test], Test]]]:
    """A set of rule ids and a decorator marking a test as the one exercising them."""
    covered: set[str] = set()

    def covers(*rule_ids: str) -> Callable[[Test], Test]:
        def mark(test: Test) -> Test:
            covered.update(rule_ids)
            return test

        return mark

    return covered, covers


# What a profile that extends no other must state, as the baseline its children inherit:
# for test profiles written to a temporary directory.
BASELINE_PARTS = {
    "clocks": """
clocks:
  - id: baseline-icpc
    source: §1
    when: {section_47: true}
    code: icpc_held
    within: 15 working days
    reason: A conference within 15 working days.
""",
    "risk_analysis": """
risk_analysis:
  source: §2
  questions: ["What harm are you worried about?"]
""",
    "reconvening": """
reconvening:
  source: §3
  reason: More than one discussion may be needed.
""",
    "no_medical_assessment": """
no_medical_assessment:
  source: §4
  reason: Record why there will be no medical assessment.
""",
}
BASELINE = "".join(BASELINE_PARTS.values())
