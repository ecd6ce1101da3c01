"""The facts as rules see them, and conditions compiled into fast predicates."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from .calendar import _add_months
from .facts import Child, Facts
from .schema import ChildCondition, Condition


@dataclass(slots=True)
class Situation:
    """What the conditions of a profile's rules are evaluated against."""

    concerns: frozenset[str]
    flags: frozenset[str]
    children: tuple[Child, ...]
    households: int
    perpetrators: int
    position_of_trust: bool
    referrer_known: bool
    out_of_hours: bool
    identified_on: date
    discussion_type: str = "standard"
    section_47: bool = False

    @classmethod
    def from_facts(cls, facts: Facts, *, out_of_hours: bool, identified_on: date) -> Situation:
        """Derive the situation from validated facts."""
        flags = facts.flags
        return cls(
            concerns=frozenset(facts.concerns),
            flags=frozenset(name for name, value in vars(flags).items() if value),
            children=tuple(facts.children),
            households=len({child.household for child in facts.children}),
            perpetrators=len(facts.alleged_perpetrators),
            position_of_trust=any(p.position_of_trust for p in facts.alleged_perpetrators),
            referrer_known=bool(facts.referrer),
            out_of_hours=out_of_hours,
            identified_on=identified_on,
        )


Predicate = Callable[[Situation], bool]


def _always(_: Situation) -> bool:
    return True


def within_six_months_of_18(child: Child, on: date) -> bool:
    """Whether ``child`` is under 18 but less than six months from their 18th birthday."""
    if child.date_of_birth is None:
        return False
    eighteenth = _add_months(child.date_of_birth, 18 * 12)
    return _add_months(eighteenth, -6) < on < eighteenth


ChildPredicate = Callable[[Child, date], bool]


def _younger_than(child: Child, years: int, on: date) -> bool:
    """Whether the child is known to be born and not yet ``years`` old on ``on``."""
    if child.date_of_birth is None:
        return False
    return on < _add_months(child.date_of_birth, years * 12)


def _child_field_is(field: str, wanted: bool) -> ChildPredicate:
    return lambda child, on: getattr(child, field) is wanted


def _situation_field_is(field: str, wanted: bool) -> Predicate:
    return lambda situation: getattr(situation, field) is wanted


def _compile_child(condition: ChildCondition) -> ChildPredicate:
    """A predicate for one child; built once per rule so that triage stays fast."""
    checks: list[ChildPredicate] = []
    for field in ("unborn", "looked_after", "in_hospital", "may_be_charged"):
        wanted = getattr(condition, field)
        if wanted is not None:
            checks.append(_child_field_is(field, wanted))
    if condition.care_needs_within_six_months_of_18 is not None:
        care = condition.care_needs_within_six_months_of_18
        checks.append(
            lambda child, on: (
                (child.care_and_support_needs and within_six_months_of_18(child, on)) is care
            )
        )
    if condition.home_authority_elsewhere is not None:
        elsewhere = condition.home_authority_elsewhere
        checks.append(lambda child, on: bool(child.home_authority) is elsewhere)
    if condition.under_age is not None:
        years = condition.under_age
        checks.append(lambda child, on: child.unborn or _younger_than(child, years, on))
    if condition.cp_plan is not None:
        plans = frozenset(condition.cp_plan)
        checks.append(lambda child, on: child.cp_plan in plans)
    if condition.education is not None:
        settings = frozenset(condition.education)
        # An unborn child has no education setting, whatever the field's default says.
        checks.append(lambda child, on: not child.unborn and child.education in settings)
    if not checks:
        return lambda child, on: True
    combined = checks[0]
    for check in checks[1:]:
        combined = (lambda a, b: lambda child, on: a(child, on) and b(child, on))(combined, check)
    return combined


def _any_child(matches: ChildPredicate) -> Predicate:
    def predicate(situation: Situation) -> bool:
        for child in situation.children:
            if matches(child, situation.identified_on):
                return True
        return False

    return predicate


def _first_of(options: list[Predicate]) -> Predicate:
    combined = options[0]
    for option in options[1:]:
        combined = (lambda a, b: lambda s: a(s) or b(s))(combined, option)
    return combined


def _all_of(checks: list[Predicate]) -> Predicate:
    """Chain checks with ``and`` (cheaper than ``all()`` over a generator)."""
    if not checks:
        return _always
    combined = checks[0]
    for check in checks[1:]:
        combined = (lambda a, b: lambda s: a(s) and b(s))(combined, check)
    return combined


def compile_condition(condition: Condition, named: Mapping[str, Predicate]) -> Predicate:
    """Turn a condition into a predicate; ``named`` holds the profile's compiled conditions."""
    checks: list[Predicate] = []
    if condition.ref is not None:
        checks.append(named[condition.ref])
    if condition.any_concern is not None:
        concerns = frozenset(condition.any_concern)
        checks.append(lambda s: not concerns.isdisjoint(s.concerns))
    if condition.any_flag is not None:
        any_flags = frozenset(condition.any_flag)
        checks.append(lambda s: not any_flags.isdisjoint(s.flags))
    if condition.all_flags is not None:
        all_flags = frozenset(condition.all_flags)
        checks.append(lambda s: all_flags <= s.flags)
    if condition.no_flag is not None:
        no_flags = frozenset(condition.no_flag)
        checks.append(lambda s: no_flags.isdisjoint(s.flags))
    checks.extend(_count_checks(condition))
    checks.extend(_equality_checks(condition))
    if condition.any_child is not None:
        checks.append(_any_child(_compile_child(condition.any_child)))
    if condition.any_of is not None:
        options = [compile_condition(option, named) for option in condition.any_of]
        checks.append(_first_of(options))
    if condition.not_ is not None:
        negated = compile_condition(condition.not_, named)
        checks.append(lambda s: not negated(s))
    return _all_of(checks)


def _count_checks(condition: Condition) -> list[Predicate]:
    checks: list[Predicate] = []
    if condition.min_children is not None:
        children = condition.min_children
        checks.append(lambda s: len(s.children) >= children)
    if condition.min_households is not None:
        households = condition.min_households
        checks.append(lambda s: s.households >= households)
    if condition.min_perpetrators is not None:
        perpetrators = condition.min_perpetrators
        checks.append(lambda s: s.perpetrators >= perpetrators)
    return checks


def _equality_checks(condition: Condition) -> list[Predicate]:
    checks: list[Predicate] = []
    for field in ("position_of_trust", "referrer_known", "out_of_hours", "section_47"):
        wanted = getattr(condition, field)
        if wanted is not None:
            checks.append(_situation_field_is(field, wanted))
    if condition.discussion_type is not None:
        discussion_type = condition.discussion_type
        checks.append(lambda s: s.discussion_type == discussion_type)
    return checks
