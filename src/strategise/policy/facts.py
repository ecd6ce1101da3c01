"""The facts a triage is asked about, validated strictly: nothing is guessed.

Unknown fields, unknown codes and bad dates are rejected with a message that names
the field and, where there is a fixed list, the values it allows.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, ValidationError, field_validator

from .vocabulary import ConcernCode, CpPlan, Education


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
        return _require_text_or_value(value, datetime)


def describe_errors(error: ValidationError) -> list[str]:
    """One plain sentence per problem, each starting with the field's path."""
    problems = []
    for item in error.errors(include_url=False):
        path = _path(item["loc"])
        if item["type"] == "extra_forbidden":
            problems.append(f"{path}: unknown field; remove it or check its spelling")
        elif item["type"] == "missing":
            problems.append(f"{path}: required but missing")
        else:
            message = item["msg"].removeprefix("Value error, ")
            problems.append(f"{path}: {message} (got {item['input']!r})")
    return problems


def _path(location: tuple[int | str, ...]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "facts"


def parse_facts(data: Any) -> Facts:
    """Validate ``data`` (a mapping, e.g. parsed JSON) as facts or raise ``FactsError``."""
    if not isinstance(data, dict):
        raise FactsError(["facts: must be a JSON object"])
    try:
        return Facts.model_validate(data)
    except ValidationError as error:
        raise FactsError(describe_errors(error)) from None
