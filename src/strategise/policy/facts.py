"""The facts a triage is asked about, validated strictly: nothing is guessed.

Unknown fields, unknown codes and bad dates are rejected with a message that names
the field and, where there is a fixed list, the values it allows; a bad value is quoted
back cut short (``echo``). ``facts_from_json`` reads the contract's JSON as strictly.
"""

from __future__ import annotations

import json
import reprlib
from collections import deque
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, field_validator

from .calendar import _add_months, london_moment
from .vocabulary import ConcernCode, CpPlan, Education

# A bad value is quoted back in a message only this long, so that a mistake of 5,000
# characters still gives a message of one line.
ECHO_LIMIT = 40
# reprlib keeps a huge list or number from being written out whole; its own cuts (in the
# middle) fall beyond the 40 characters shown.
_REPR = reprlib.Repr(
    maxlevel=2, maxstring=4 * ECHO_LIMIT, maxlong=4 * ECHO_LIMIT, maxother=4 * ECHO_LIMIT
)


def echo(value: object) -> str:
    """``value`` as Python writes it (``repr``), cut at 40 characters with an ellipsis."""
    text = repr(value[: ECHO_LIMIT + 1]) if isinstance(value, str) else _REPR.repr(value)
    return text if len(text) <= ECHO_LIMIT else text[: ECHO_LIMIT - 1] + "…"


class FactsError(ValueError):
    """The facts (or the clocks input) are not acceptable; the message names each problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _require_text_or_value(value: Any, kind: type) -> Any:
    # Pydantic would read a number as a Unix timestamp; a date given as a number is a
    # mistake, not something to guess at.
    if isinstance(value, (str, kind)) or value is None:
        return value
    raise ValueError(f"must be an ISO 8601 {kind.__name__} written as text")


def default_education(child: Child, on: date) -> Education:
    """The contract's ``education`` when the facts do not give it, by age on ``on``.

    None for an unborn child or one under 2; pre-school from 2 until compulsory school
    age; school to 16; college at 16 and 17; school when there is no date of birth.
    """
    if child.unborn:
        return "none"
    born = child.date_of_birth
    if born is None:
        return "school"
    # Age in whole years, with birthdays counted as the rules count them (_add_months).
    age = on.year - born.year
    if on < _add_months(born, 12 * age):
        age -= 1
    if age < 2:
        return "none"
    if age < 5 or (age == 5 and on < compulsory_school_age(born)):
        return "pre_school"
    if age < 16:
        return "school"
    if age < 18:
        return "college"
    # The contract is silent past 18 (the procedures are about children): no setting.
    return "none"


def compulsory_school_age(born: date) -> date:
    """The day a child born on ``born`` reaches compulsory school age in England.

    Education Act 1996 s.8(2): the prescribed day following the fifth birthday, or the
    birthday itself if it is one; the prescribed days are 31 March, 31 August and
    31 December (the Education (Start of Compulsory School Age) Order 1998).
    """
    fifth = _add_months(born, 5 * 12)
    prescribed = (date(fifth.year, 3, 31), date(fifth.year, 8, 31), date(fifth.year, 12, 31))
    return next(day for day in prescribed if day >= fifth)


class Child(_Strict):
    id: str | None = None
    date_of_birth: date | None = None
    unborn: StrictBool = False
    household: str = "h1"
    looked_after: StrictBool = False
    cp_plan: CpPlan = "none"
    in_hospital: StrictBool = False
    education: Education = "school"
    may_be_charged: StrictBool = False
    care_and_support_needs: StrictBool = False
    home_authority: str | None = None

    @field_validator("date_of_birth", mode="before")
    @classmethod
    def _date_is_text(cls, value: Any) -> Any:
        return _require_text_or_value(value, date)


class AllegedPerpetrator(_Strict):
    position_of_trust: StrictBool = False


class Flags(_Strict):
    immediate_risk: StrictBool = False
    serious_harm: StrictBool = False
    forensic_window: StrictBool = False
    emergency_action_taken: StrictBool = False
    medical_implications: StrictBool = False
    open_to_childrens_social_care: StrictBool = False
    whereabouts_unknown: StrictBool = False
    access_refused: StrictBool = False
    parental_domestic_abuse: StrictBool = False
    parental_mental_health: StrictBool = False
    parental_substance_misuse: StrictBool = False
    chair_has_specialist_expertise: StrictBool = False


class Facts(_Strict):
    """What is known when concerns are identified (the contract's input facts)."""

    profile: str
    identified_at: datetime
    concerns: list[ConcernCode] = Field(min_length=1)
    children: list[Child] = []
    alleged_perpetrators: list[AllegedPerpetrator] = []
    referrer: str | None = None
    flags: Flags = Flags()

    @field_validator("identified_at", mode="before")
    @classmethod
    def _datetime_is_text(cls, value: Any) -> Any:
        return london_moment(_require_text_or_value(value, datetime))


def describe_errors(error: ValidationError) -> list[str]:
    """One plain sentence per problem, each starting with the field's path.

    A problem with the whole (a profile's rule id used twice) has no path of its own."""
    problems = []
    for item in error.errors():
        path = _path(item["loc"])
        where = f"{path}: " if path else ""
        if item["type"] == "extra_forbidden":
            problems.append(f"{where}unknown field; remove it or check its spelling")
        elif item["type"] == "missing":
            problems.append(f"{where}required but missing")
        else:
            message = item["msg"].removeprefix("Value error, ")
            problems.append(f"{where}{message} (got {echo(item['input'])})")
    return problems


def _path(location: tuple[int | str, ...]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def parse_facts(data: Any) -> Facts:
    """Validate ``data`` (a mapping, e.g. parsed JSON) as facts or raise ``FactsError``.

    A child's date of birth must fit the facts, and a child whose ``education`` is not
    given takes the default for their age (``default_education``).
    """
    if not isinstance(data, dict):
        raise FactsError(["facts: must be a JSON object"])
    try:
        facts = Facts.model_validate(data)
    except ValidationError as error:
        raise FactsError(describe_errors(error)) from None
    if not facts.children:
        return facts
    identified_on = facts.identified_at.date()
    problems = [
        _birth_problem(child, identified_on, number)
        for number, child in enumerate(facts.children)
        # Unborn with a date of birth already past, or born after the concerns.
        if (born := child.date_of_birth) is not None
        and (born < identified_on if child.unborn else born > identified_on)
    ]
    if problems:
        raise FactsError(problems)
    for child in facts.children:
        if "education" not in child.model_fields_set:
            # Completed before anyone else sees it, and far cheaper than a copy (triage is
            # asked thousands of times a second); the model stays frozen for its callers.
            object.__setattr__(child, "education", default_education(child, identified_on))
    return facts


def _birth_problem(child: Child, identified_on: date, number: int) -> str:
    field = f"children[{number}].date_of_birth: {child.date_of_birth}"
    if child.unborn:
        return (
            f"{field} is before concerns were identified ({identified_on.isoformat()}) but "
            "the child is unborn: give the expected date of birth, or set unborn to false"
        )
    return (
        f"{field} is after concerns were identified ({identified_on.isoformat()}): check the "
        "date, or set unborn to true for a baby not yet born"
    )


class _LongNumber:
    """A JSON number too long to be read (Python reads at most 4,300 digits): no fact is one."""

    def __init__(self, digits: str):
        self.digits = digits

    def __repr__(self) -> str:
        return self.digits


def _number(digits: str) -> int | _LongNumber:
    try:
        return int(digits)
    except ValueError:
        return _LongNumber(digits)


class _Repeated(dict[str, Any]):
    """A JSON object in which a field was given more than once (the first repeated one)."""

    repeated: str


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found and not isinstance(found, _Repeated):
            found = _Repeated(found)
            found.repeated = key
        found[key] = value
    return found


def facts_from_json(text: str, source: str) -> Any:
    """Parse the contract's JSON from ``source`` (a file name, ``-`` for standard input).

    Stricter than ``json.loads``: a field given twice, or nesting too deep to be facts,
    is refused with ``FactsError`` naming where, rather than one value silently chosen
    or a crash; a number too long to read is kept for validation to refuse by its field.
    """
    try:
        data = json.loads(text, object_pairs_hook=_object, parse_int=_number)
    except json.JSONDecodeError as error:
        raise FactsError([f"{source}: is not valid JSON ({error})"]) from None
    except RecursionError:
        raise FactsError(
            [f"{source}: is nested too deeply to be facts (objects in lists in objects at most)"]
        ) from None
    repeated = _first_repeated(data)
    if repeated is not None:
        raise FactsError(
            [f"{repeated}: is given more than once; give each field once (nothing is guessed)"]
        )
    return data


def _first_repeated(data: Any) -> str | None:
    """The path of the first field given twice, searching breadth first (no recursion)."""
    waiting: deque[tuple[tuple[int | str, ...], Any]] = deque([((), data)])
    while waiting:
        location, value = waiting.popleft()
        if isinstance(value, _Repeated):
            return _path((*location, value.repeated))
        if isinstance(value, dict):
            waiting.extend(((*location, key), item) for key, item in value.items())
        elif isinstance(value, list):
            waiting.extend(((*location, number), item) for number, item in enumerate(value))
    return None
