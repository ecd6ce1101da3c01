"""Triage: what kind of strategy discussion is needed, by when, chaired by whom, with whom.

Every part of the answer carries the rule that produced it and its source clause. Where
several rules apply to the same thing, all are reported and the strictest applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .calendar import to_london
from .facts import FactsError, parse_facts
from .profiles import CompiledRule, Profile, builtin_profiles
from .situation import Situation
from .vocabulary import CHAIR_GRADE_ORDER


def _iso(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class Cited:
    """Something the answer says, with the rule and source clause it comes from."""

    reason: str
    source: str
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return {"reason": self.reason, "source": self.source, "rule": self.rule}


@dataclass(frozen=True)
class Timescale:
    rule: str
    within: str
    hold_by: datetime
    source: str
    rule_id: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "within": self.within,
            "hold_by": _iso(self.hold_by),
            "source": self.source,
            "id": self.rule_id,
        }


@dataclass(frozen=True)
class Item:
    """An attendee or a step: its code, the first rule that asked for it, and any others."""

    code: str
    reason: str
    source: str
    rule: str
    also: tuple[Cited, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "code": self.code,
            "reason": self.reason,
            "source": self.source,
            "rule": self.rule,
        }
        if self.also:
            answer["also"] = [other.to_dict() for other in self.also]
        return answer


@dataclass(frozen=True)
class Chair:
    minimum_grade: str | None
    exceptions: tuple[dict[str, Any], ...]
    source: str | None
    reason: str | None
    rule: str | None
    allowed_grades: tuple[str, ...]
    also: tuple[Cited, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "minimum_grade": self.minimum_grade,
            "exceptions": list(self.exceptions),
            "source": self.source,
            "reason": self.reason,
            "rule": self.rule,
            "allowed_grades": list(self.allowed_grades),
            "also": [other.to_dict() for other in self.also],
        }


@dataclass(frozen=True)
class TriageAnswer:
    """The contract's triage output, plus the reasons behind the type and format."""

    profile: str
    profile_version: str
    discussion_type: str
    complex_reasons: tuple[Cited, ...]
    meeting_required: bool
    meeting_reasons: tuple[Cited, ...]
    meeting_recommended: tuple[Cited, ...]
    hold_by: datetime | None
    timescales: tuple[Timescale, ...]
    chair: Chair
    required: tuple[Item, ...]
    recommended: tuple[Item, ...]
    steps: tuple[Item, ...]
    out_of_hours: bool
    identified_at: datetime = field(repr=False, default=datetime.min)

    def to_dict(self) -> dict[str, Any]:
        """The answer as the contract's JSON object."""
        return {
            "profile": self.profile,
            "profile_version": self.profile_version,
            "discussion_type": self.discussion_type,
            "complex_reasons": [reason.to_dict() for reason in self.complex_reasons],
            "meeting_required": self.meeting_required,
            "meeting_reasons": [reason.to_dict() for reason in self.meeting_reasons],
            "meeting_recommended": [reason.to_dict() for reason in self.meeting_recommended],
            "hold_by": _iso(self.hold_by) if self.hold_by else None,
            "timescales": [timescale.to_dict() for timescale in self.timescales],
            "chair": self.chair.to_dict(),
            "attendees": {
                "required": [item.to_dict() for item in self.required],
                "recommended": [item.to_dict() for item in self.recommended],
            },
            "steps": [item.to_dict() for item in self.steps],
            "out_of_hours": self.out_of_hours,
        }


def _profile_problem(name: str, profiles: Mapping[str, Profile]) -> list[str]:
    known = ", ".join(sorted(profiles))
    return [f"profile: {name!r} is not a profile; choose one of: {known}"]


def resolve_profile(name: str, profiles: Mapping[str, Profile] | None = None) -> Profile:
    """A profile (built-in unless ``profiles`` is given), or ``FactsError`` naming them."""
    profiles = builtin_profiles() if profiles is None else profiles
    if name not in profiles:
        raise FactsError(_profile_problem(name, profiles))
    return profiles[name]


def _cited(compiled: CompiledRule) -> Cited:
    return Cited(reason=compiled.rule.reason, source=compiled.citation, rule=compiled.rule.id)


def _applying(profile: Profile, section: str, situation: Situation) -> list[CompiledRule]:
    return [compiled for compiled in profile.section(section) if compiled.applies(situation)]


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

    complex_reasons = tuple(_cited(c) for c in _applying(profile, "complex", situation))
    situation.discussion_type = "complex" if complex_reasons else "standard"

    meeting = _applying(profile, "meeting", situation)
    timescales = sorted(
        (
            Timescale(
                rule=c.rule.rule,
                within=c.rule.within.describe(),
                hold_by=calendar.deadline(c.rule.within, identified_at),
                source=c.citation,
                rule_id=c.rule.id,
            )
            for c in _applying(profile, "timescales", situation)
        ),
        key=lambda timescale: timescale.hold_by,
    )
    required, recommended = _attendees(_applying(profile, "attendees", situation))
    return TriageAnswer(
        profile=profile.name,
        profile_version=f"{profile.version} ({profile.digest})",
        discussion_type=situation.discussion_type,
        complex_reasons=complex_reasons,
        meeting_required=any(c.rule.level == "required" for c in meeting),
        meeting_reasons=tuple(_cited(c) for c in meeting if c.rule.level == "required"),
        meeting_recommended=tuple(_cited(c) for c in meeting if c.rule.level == "recommended"),
        hold_by=timescales[0].hold_by if timescales else None,
        timescales=tuple(timescales),
        chair=_chair(_applying(profile, "chair", situation), situation),
        required=required,
        recommended=recommended,
        steps=_merge((c.rule.code, c) for c in _applying(profile, "steps", situation)),
        out_of_hours=situation.out_of_hours,
        identified_at=identified_at,
    )


def _merge(pairs: Any) -> tuple[Item, ...]:
    """One item per code, in the order first asked for; later rules go in ``also``."""
    items: dict[str, tuple[CompiledRule, list[Cited]]] = {}
    for code, compiled in pairs:
        if code in items:
            items[code][1].append(_cited(compiled))
        else:
            items[code] = (compiled, [])
    return tuple(
        Item(
            code=code,
            reason=first.rule.reason,
            source=first.citation,
            rule=first.rule.id,
            also=tuple(others),
        )
        for code, (first, others) in items.items()
    )


def _attendees(rules: list[CompiledRule]) -> tuple[tuple[Item, ...], tuple[Item, ...]]:
    required = _merge(
        (code, c) for c in rules if c.rule.level == "required" for code in c.rule.codes
    )
    required_codes = {item.code for item in required}
    recommended = _merge(
        (code, c)
        for c in rules
        if c.rule.level == "recommended"
        for code in c.rule.codes
        if code not in required_codes
    )
    return required, recommended


def _chair(rules: list[CompiledRule], situation: Situation) -> Chair:
    if not rules:
        return Chair(None, (), None, None, None, tuple(CHAIR_GRADE_ORDER))
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
    return Chair(
        minimum_grade=strictest.rule.minimum_grade,
        exceptions=tuple(exceptions),
        source=strictest.citation,
        reason=strictest.rule.reason,
        rule=strictest.rule.id,
        allowed_grades=tuple(g for g, rank in CHAIR_GRADE_ORDER.items() if rank >= lowest),
        also=tuple(_cited(c) for c in rules if c is not strictest),
    )

