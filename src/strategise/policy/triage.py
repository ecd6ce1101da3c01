"""Triage: what kind of strategy discussion is needed, by when, chaired by whom, with whom.

Every part of the answer carries the rule that produced it and its source clause. Where
several rules apply to the same thing, all are reported and the strictest applies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .calendar import to_london
from .facts import FactsError, echo, parse_facts
from .profiles import CompiledRule, Profile, builtin_profiles
from .situation import Situation
from .vocabulary import CHAIR_GRADE_ORDER


def iso(moment: datetime) -> str:
    """A time as the contract writes it: ISO 8601 to the second, with its UTC offset."""
    return (moment.replace(microsecond=0) if moment.microsecond else moment).isoformat()


@dataclass(slots=True)
class TriageAnswer:
    """A triage answer: the contract's JSON (``to_dict``) and the facts Python callers use."""

    profile: str
    discussion_type: str
    hold_by: datetime | None
    out_of_hours: bool
    identified_at: datetime
    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """The answer as the contract's JSON object; built for this call, so the caller's."""
        return self.data


def _profile_problem(name: str, profiles: Mapping[str, Profile]) -> list[str]:
    known = ", ".join(sorted(profiles))
    return [f"profile: {echo(name)} is not a profile; choose one of: {known}"]


def resolve_profile(name: str, profiles: Mapping[str, Profile] | None = None) -> Profile:
    """A profile (built-in unless ``profiles`` is given), or ``FactsError`` naming them."""
    profiles = builtin_profiles() if profiles is None else profiles
    if name not in profiles:
        raise FactsError(_profile_problem(name, profiles))
    return profiles[name]


def _applying(profile: Profile, section: str, situation: Situation) -> list[CompiledRule]:
    return [compiled for compiled in profile.rules[section] if compiled.applies(situation)]


def triage(data: Any, profiles: Mapping[str, Profile] | None = None) -> TriageAnswer:
    """Triage the facts (the contract's input JSON as a mapping); ``FactsError`` if bad.

    ``profiles`` replaces the built-in profiles, e.g. with a local authority's own.
    """
    profiles = builtin_profiles() if profiles is None else profiles
    try:
        facts = parse_facts(data)
    except FactsError as error:
        name = data.get("profile") if isinstance(data, dict) else None
        if isinstance(name, str) and name not in profiles:
            raise FactsError([*_profile_problem(name, profiles), *error.problems]) from None
        raise
    profile = resolve_profile(facts.profile, profiles)
    calendar = profile.calendar
    identified_at = to_london(facts.identified_at)
    situation = Situation.from_facts(
        facts,
        out_of_hours=calendar.is_out_of_hours(identified_at),
        identified_on=identified_at.date(),
    )

    complex_reasons = [c.cited() for c in _applying(profile, "complex", situation)]
    situation.discussion_type = "complex" if complex_reasons else "standard"
    meeting = _applying(profile, "meeting", situation)
    timescales = sorted(
        (
            (calendar.deadline(c.rule.within, identified_at), c)
            for c in _applying(profile, "timescales", situation)
        ),
        key=lambda pair: pair[0],
    )
    hold_by = timescales[0][0] if timescales else None
    required, recommended = _attendees(_applying(profile, "attendees", situation))
    answer = {
        "profile": profile.name,
        "profile_version": f"{profile.version} ({profile.digest})",
        "discussion_type": situation.discussion_type,
        "complex_reasons": complex_reasons,
        "meeting_required": any(c.rule.level == "required" for c in meeting),
        "meeting_reasons": [c.cited() for c in meeting if c.rule.level == "required"],
        "meeting_recommended": [c.cited() for c in meeting if c.rule.level == "recommended"],
        "hold_by": iso(hold_by) if hold_by else None,
        "timescales": [
            {
                "rule": c.rule.rule,
                "within": c.rule.within.describe(),
                "hold_by": iso(due),
                "source": c.citation,
                "id": c.rule.id,
            }
            for due, c in timescales
        ],
        "chair": _chair(_applying(profile, "chair", situation), situation),
        "attendees": {"required": required, "recommended": recommended},
        "steps": _merge((c.rule.code, c) for c in _applying(profile, "steps", situation)),
        "distribution": [
            {"recipient": c.rule.recipient, **c.cited()}
            for c in _applying(profile, "distribution", situation)
        ],
        "out_of_hours": situation.out_of_hours,
    }
    return TriageAnswer(
        profile=profile.name,
        discussion_type=situation.discussion_type,
        hold_by=hold_by,
        out_of_hours=situation.out_of_hours,
        identified_at=identified_at,
        data=answer,
    )


def _merge(pairs: Iterable[tuple[str, CompiledRule]]) -> list[dict[str, Any]]:
    """One item per code, in the order first asked for; later rules go in ``also``."""
    items: dict[str, dict[str, Any]] = {}
    for code, compiled in pairs:
        item = items.get(code)
        if item is None:
            items[code] = {"code": code, **compiled.cited()}
        else:
            item.setdefault("also", []).append(compiled.cited())
    return list(items.values())


def _attendees(rules: list[CompiledRule]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    wanted: list[tuple[str, CompiledRule]] = []
    maybe: list[tuple[str, CompiledRule]] = []
    for compiled in rules:
        level = wanted if compiled.rule.level == "required" else maybe
        level.extend((code, compiled) for code in compiled.rule.codes)
    required = _merge(wanted)
    required_codes = {item["code"] for item in required}
    return required, _merge(pair for pair in maybe if pair[0] not in required_codes)


def _chair(rules: list[CompiledRule], situation: Situation) -> dict[str, Any]:
    if not rules:
        return {
            "minimum_grade": None,
            "exceptions": [],
            "source": None,
            "reason": None,
            "rule": None,
            "allowed_grades": list(CHAIR_GRADE_ORDER),
            "also": [],
        }
    # The strictest rule is the one with the highest minimum grade; the first wins a tie.
    strictest = max(rules, key=lambda c: CHAIR_GRADE_ORDER[c.rule.minimum_grade])
    lowest = CHAIR_GRADE_ORDER[strictest.rule.minimum_grade]
    exceptions = []
    for exception, predicate in zip(
        strictest.rule.exceptions, strictest.exception_predicates, strict=True
    ):
        # None: the facts cannot say whether the exception holds; a person must judge.
        applies = None if predicate is None else predicate(situation)
        exceptions.append(
            {
                "grade": exception.grade,
                "condition": exception.condition,
                "applies": applies,
                "source": strictest.citation,
            }
        )
        if applies and exception.grade is not None:
            lowest = min(lowest, CHAIR_GRADE_ORDER[exception.grade])
    return {
        "minimum_grade": strictest.rule.minimum_grade,
        "exceptions": exceptions,
        **strictest.cited(),
        "allowed_grades": [grade for grade, rank in CHAIR_GRADE_ORDER.items() if rank >= lowest],
        "also": [c.cited() for c in rules if c is not strictest],
    }
