"""Clocks: once a discussion has been held, what is due next and by when.

Only the clocks the profile (or the national baseline it extends) defines for the case
appear. Where two rules set the same clock, the earliest due time applies and the
others are reported beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .calendar import london_moment
from .facts import FactsError, echo
from .profiles import Profile
from .situation import Situation
from .triage import iso, resolve_profile


@dataclass(frozen=True)
class Clock:
    code: str
    due: datetime
    source: str
    rule: str
    reason: str
    within: str
    starts: str
    also: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "code": self.code,
            "due": iso(self.due),
            "source": self.source,
            "rule": self.rule,
            "reason": self.reason,
            "within": self.within,
            "starts": self.starts,
        }
        if self.also:
            answer["also"] = list(self.also)
        return answer


@dataclass(frozen=True)
class ClocksAnswer:
    profile: str
    profile_version: str
    identified_at: datetime
    held_at: datetime
    out_of_hours: bool
    section_47: bool
    discussion_type: str
    clocks: tuple[Clock, ...]

    def to_dict(self) -> dict[str, Any]:
        """The contract's clocks JSON, with the inputs it was computed from."""
        return {
            "profile": self.profile,
            "profile_version": self.profile_version,
            "identified_at": iso(self.identified_at),
            "held_at": iso(self.held_at),
            "out_of_hours": self.out_of_hours,
            "section_47": self.section_47,
            "discussion_type": self.discussion_type,
            "clocks": [clock.to_dict() for clock in self.clocks],
        }


def _moment(name: str, value: datetime | str) -> datetime:
    if not isinstance(value, (str, datetime)):
        raise FactsError([f"{name}: must be an ISO 8601 date and time (got {echo(value)})"])
    try:
        return london_moment(value)
    except ValueError as error:
        raise FactsError([f"{name}: {error} (got {echo(value)})"]) from None


def clocks(
    *,
    profile: str,
    identified_at: datetime | str,
    held_at: datetime | str,
    section_47: bool = False,
    out_of_hours: bool | None = None,
    discussion_type: str = "standard",
    profiles: Mapping[str, Profile] | None = None,
) -> ClocksAnswer:
    """The clocks that start when a discussion is held; ``FactsError`` if an input is bad.

    ``out_of_hours`` defaults to whether ``held_at`` falls out of hours by the profile's
    calendar. ``profiles`` replaces the built-in profiles.
    """
    chosen = resolve_profile(profile, profiles)
    identified = _moment("identified_at", identified_at)
    held = _moment("held_at", held_at)
    if held < identified:
        raise FactsError(["held_at: the discussion cannot be held before concerns were identified"])
    if discussion_type not in ("standard", "complex"):
        raise FactsError(
            [f"discussion_type: must be 'standard' or 'complex' (got {echo(discussion_type)})"]
        )
    calendar = chosen.calendar
    situation = Situation(
        concerns=frozenset(),
        flags=frozenset(),
        children=(),
        households=0,
        perpetrators=0,
        position_of_trust=False,
        referrer_known=False,
        out_of_hours=calendar.is_out_of_hours(held) if out_of_hours is None else out_of_hours,
        identified_on=identified.date(),
        discussion_type=discussion_type,
        section_47=section_47,
    )
    by_code: dict[str, list[Clock]] = {}
    for compiled in chosen.section("clocks"):
        if not compiled.applies(situation):
            continue
        rule = compiled.rule
        start = identified if rule.starts == "identified" else held
        by_code.setdefault(rule.code, []).append(
            Clock(
                code=rule.code,
                due=calendar.deadline(rule.within, start),
                source=compiled.citation,
                rule=rule.id,
                reason=rule.reason,
                within=rule.within.describe(),
                starts=rule.starts,
            )
        )
    answers = []
    for found in by_code.values():
        found.sort(key=lambda clock: clock.due)
        first, others = found[0], found[1:]
        also = tuple(
            {"reason": o.reason, "source": o.source, "rule": o.rule, "due": iso(o.due)}
            for o in others
        )
        answers.append(
            Clock(
                code=first.code,
                due=first.due,
                source=first.source,
                rule=first.rule,
                reason=first.reason,
                within=first.within,
                starts=first.starts,
                also=also,
            )
        )
    answers.sort(key=lambda clock: clock.due)
    return ClocksAnswer(
        profile=chosen.name,
        profile_version=f"{chosen.version} ({chosen.digest})",
        identified_at=identified,
        held_at=held,
        out_of_hours=situation.out_of_hours,
        section_47=section_47,
        discussion_type=discussion_type,
        clocks=tuple(answers),
    )


__all__ = ["Clock", "ClocksAnswer", "clocks"]
