"""The schema of a profile file: a local procedure as data, every rule with its source.

A profile is YAML validated against these models when it is loaded. ``docs/profiles.md``
explains how to write one; ``strategise profiles check FILE`` validates one.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    field_validator,
    model_validator,
)

from .calendar import Nation, Within
from .vocabulary import (
    AttendeeCode,
    AttendeeLevel,
    ChairGrade,
    ClockCode,
    ClockHolderCode,
    ConcernCode,
    CpPlan,
    DisagreementHolderCode,
    DiscussionType,
    Education,
    FlagCode,
    SharingMarkerCode,
    StepCode,
)

RULE_ID = r"^[a-z0-9][a-z0-9-]*$"


class _Schema(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class ChildCondition(_Schema):
    """Holds when at least one child matches every field given."""

    unborn: StrictBool | None = None
    looked_after: StrictBool | None = None
    in_hospital: StrictBool | None = None
    cp_plan: list[CpPlan] | None = None
    education: list[Education] | None = None
    may_be_charged: StrictBool | None = None
    care_needs_within_six_months_of_18: StrictBool | None = Field(
        default=None,
        description="Has care and support needs and is less than six months from 18.",
    )
    home_authority_elsewhere: StrictBool | None = None
    under_age: int | None = Field(
        default=None,
        ge=1,
        description="Born and younger than this many years (or unborn) when concerns arose.",
    )


class Condition(_Schema):
    """When a rule applies: every field given must hold (an empty condition always holds)."""

    ref: str | None = Field(default=None, description="A named condition of the profile.")
    any_concern: list[ConcernCode] | None = None
    any_flag: list[FlagCode] | None = None
    all_flags: list[FlagCode] | None = None
    no_flag: list[FlagCode] | None = None
    min_children: int | None = Field(default=None, ge=1)
    min_households: int | None = Field(default=None, ge=1)
    min_perpetrators: int | None = Field(default=None, ge=1)
    position_of_trust: StrictBool | None = None
    any_child: ChildCondition | None = None
    referrer_known: StrictBool | None = None
    discussion_type: DiscussionType | None = None
    out_of_hours: StrictBool | None = None
    section_47: StrictBool | None = None
    any_of: list[Condition] | None = Field(default=None, min_length=1)
    not_: Condition | None = Field(default=None, alias="not")

    def fields_used(self) -> set[str]:
        """Every condition field used here or in nested conditions (not following refs)."""
        used = {name for name in type(self).model_fields if getattr(self, name) is not None}
        for nested in (self.any_of or []) + ([self.not_] if self.not_ else []):
            used |= nested.fields_used()
        return used - {"any_of", "not_"}


class _Rule(_Schema):
    id: str = Field(pattern=RULE_ID)
    source: str = Field(min_length=1, description="The section, e.g. '§9.0'.")
    when: Condition = Condition()


class ComplexRule(_Rule):
    reason: str


class MeetingRule(_Rule):
    level: AttendeeLevel = "required"
    reason: str


class TimescaleRule(_Rule):
    rule: str = Field(min_length=1, description="The rule in words, as the procedure puts it.")
    within: Within

    @field_validator("within", mode="before")
    @classmethod
    def _parse_within(cls, value: Any) -> Any:
        return Within.parse(value) if isinstance(value, str) else value


class ChairException(_Schema):
    grade: ChairGrade | None = None
    condition: str
    applies_when: Condition | None = None


class ChairRule(_Rule):
    minimum_grade: ChairGrade
    reason: str
    exceptions: list[ChairException] = []


class AttendeeRule(_Rule):
    codes: list[AttendeeCode] = Field(min_length=1)
    level: AttendeeLevel
    reason: str


class StepRule(_Rule):
    code: StepCode
    reason: str


class ClockRule(_Rule):
    code: ClockCode
    within: Within
    starts: Literal["identified", "held"] = "held"
    reason: str

    @field_validator("within", mode="before")
    @classmethod
    def _parse_within(cls, value: Any) -> Any:
        return Within.parse(value) if isinstance(value, str) else value


class DistributionRule(_Rule):
    """Someone beyond the invitees who receives the minutes."""

    recipient: str = Field(min_length=1, description="Who, e.g. 'The child's GP'.")
    reason: str


class AgendaItem(_Schema):
    id: str = Field(pattern=RULE_ID)
    title: str
    source: str
    guidance: str = ""


class ProcedureNote(_Schema):
    """A procedural rule for running the discussion (not a triage output), with its clause."""

    source: str = Field(min_length=1)
    reason: str = Field(min_length=1)


class EscalationStage(_Schema):
    """One stage of the procedure for resolving a professional disagreement, in order."""

    id: str = Field(pattern=RULE_ID)
    source: str = Field(min_length=1, description="The section, e.g. '§12.0'.")
    title: str = Field(min_length=1, description="The stage in a few words: 'Line managers'.")
    holder: str = Field(min_length=1, description="Who holds the disagreement at this stage.")
    held_by: DisagreementHolderCode = Field(
        description="Who that is, as Strategise finds them: the professional where the "
        "difference exists, line managers, senior managers or strategy discussion leads of "
        "the agencies concerned, or someone outside Strategise (named and emailed)."
    )
    reason: str = Field(min_length=1, description="What the procedure says happens at it.")


Question = Annotated[str, Field(min_length=1)]


class RiskQuestions(_Schema):
    """The questions the analysis of risk answers, in order, with the clause that sets them."""

    source: str = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)


class RiskAnalysis(RiskQuestions):
    """The analysis of risk; ``review`` asks different questions of a reconvened discussion."""

    review: RiskQuestions | None = Field(
        default=None,
        description="For a reconvened discussion; without it, the same questions again.",
    )


class ReconveningNote(ProcedureNote):
    """What the procedure says about holding more than one discussion."""

    rationale_required: StrictBool = Field(
        default=False, description="A reconvened discussion must give its reason."
    )


class NoMedicalAssessmentNote(ProcedureNote):
    """What must be recorded when no child protection medical assessment is to be held."""

    medical_advice_required: StrictBool = Field(
        default=True,
        description="Besides the reasoning, record whether medical advice was given.",
    )


class ClockHolderRule(ProcedureNote):
    """Who the procedure makes responsible for some clocks, in its own words (``title``)."""

    codes: list[ClockCode] = Field(min_length=1)
    holder: ClockHolderCode
    title: str = Field(min_length=1, description="Who, as the procedure names them.")


class SharingMarkerRule(ProcedureNote):
    """A marker on what an agency shares, limiting who else may see it."""

    code: SharingMarkerCode


# A pattern's words: a word or words joined by "|" (each may end in "?"), a word form
# ("{self}"), or "..." for a few words in between. See docs/language.md.
GAP = "..."  # in a pattern: up to three words in between
_PATTERN_TOKEN = re.compile(r"^(?:\.\.\.|\{[a-z_]+\}\??|[^\s{}|?]+(?:\|[^\s{}|?]+)*\??)$")


def _check_pattern(pattern: str) -> str:
    tokens = pattern.split()
    if not tokens:
        raise ValueError("a pattern needs at least one word")
    bad = [token for token in tokens if not _PATTERN_TOKEN.match(token)]
    if bad:
        raise ValueError(f"{bad[0]!r} is not a word, words joined by '|', a {{word form}} or '...'")
    if GAP in (tokens[0], tokens[-1]):
        raise ValueError("'...' goes between two words, not at either end")
    if tokens[0].endswith("?"):
        raise ValueError("a pattern cannot begin with an optional word")
    return pattern


Pattern = Annotated[str, Field(min_length=1), AfterValidator(_check_pattern)]


class LanguagePhrase(_Schema):
    """Words to flag in free text: why they are a problem, what to write instead."""

    id: str = Field(pattern=RULE_ID)
    term: str = Field(min_length=1, description="The words as the source names them.")
    source: str = Field(min_length=1, description="The section, e.g. '§6'.")
    patterns: list[Pattern] = Field(min_length=1)
    except_: list[Pattern] = Field(
        default=[], alias="except", description="Where these match over it, a match is left."
    )
    negatable: StrictBool = Field(
        default=False, description="'not', 'never', 'cannot'... just before leave it alone."
    )
    why: str = Field(min_length=1)
    alternatives: list[Question] = Field(min_length=1)


class LanguageSection(_Schema):
    """A profile's additions to the language check: the procedure's own call for it (a
    clause and its words), phrases switched off, and phrases of its own."""

    source: str | None = Field(default=None, min_length=1)
    reason: str | None = Field(default=None, min_length=1)
    switch_off: list[str] = Field(default=[], description="Inherited phrase ids to drop.")
    phrases: list[LanguagePhrase] = []

    @model_validator(mode="after")
    def _cited(self) -> LanguageSection:
        if (self.source is None) != (self.reason is None):
            raise ValueError("source and reason go together: give both or neither")
        ids = [phrase.id for phrase in self.phrases]
        if len(set(ids)) != len(ids):
            raise ValueError("phrase ids must be unique")
        return self


class ProfileFile(_Schema):
    """One profile file as written: its own rules, plus what it takes from its parent."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: str
    short_title: str | None = Field(
        default=None,
        min_length=1,
        description="The procedure's name in a citation, before the section: 'Sandwell "
        "procedure' (§9.0). The title if left out.",
    )
    source_file: str = Field(description="The procedure's file name or title, cited by rules.")
    version: str
    extends: str | None = None
    nation: Nation = "england_and_wales"
    replaces: list[str] = Field(default=[], description="Parent rule ids this profile drops.")
    conditions: dict[str, Condition] = {}
    complex: list[ComplexRule] = []
    meeting: list[MeetingRule] = []
    timescales: list[TimescaleRule] = []
    chair: list[ChairRule] = []
    attendees: list[AttendeeRule] = []
    steps: list[StepRule] = []
    clocks: list[ClockRule] = []
    agenda: list[AgendaItem] = []
    distribution: list[DistributionRule] = []
    non_attendance_escalation: ProcedureNote | None = Field(
        default=None,
        description="Non-attendance by a required agency becomes an action for the chair.",
    )
    written_report_suffices: ProcedureNote | None = Field(
        default=None,
        description="The chair may agree that an absent agency's written report suffices, "
        "and then its non-attendance is not escalated.",
    )
    late_discussion: ProcedureNote | None = Field(
        default=None, description="Holding the discussion after its deadline needs a rationale."
    )
    nfa_confirmation: ProcedureNote | None = Field(
        default=None,
        description="A 'no further action' decision must be confirmed by a team manager.",
    )
    minutes_summary: ProcedureNote | None = Field(
        default=None,
        description="The minutes summarise what was shared; they are not a transcript.",
    )
    risk_analysis: RiskAnalysis | None = Field(
        default=None, description="The questions the analysis of risk answers."
    )
    reconvening: ReconveningNote | None = Field(
        default=None, description="Holding more than one discussion."
    )
    no_medical_assessment: NoMedicalAssessmentNote | None = Field(
        default=None,
        description="What is recorded when no child protection medical assessment is held.",
    )
    sibling_medicals: ProcedureNote | None = Field(
        default=None,
        description="A medical assessment is considered for each child in the household too.",
    )
    close_without_discussion: ProcedureNote | None = Field(
        default=None,
        description="A manager may close a request without holding a discussion.",
    )
    clock_holders: list[ClockHolderRule] = Field(
        default=[],
        description="Who holds which clocks, where the procedure says; each replaces the "
        "parent's holder of the same clocks.",
    )
    sharing_markers: list[SharingMarkerRule] = Field(
        default=[],
        description="Markers the procedure puts on shared information; each replaces the "
        "parent's marker with the same code.",
    )
    language: LanguageSection | None = Field(
        default=None,
        description="Phrases the language check adds or switches off, and the clause that "
        "calls for it; inherited from the parent profile.",
    )
    escalation_stages: list[EscalationStage] = Field(
        default=[],
        description=(
            "The stages a professional disagreement moves through, first to last; a "
            "profile without its own inherits its parent's."
        ),
    )

    @model_validator(mode="after")
    def _unique_ids(self) -> ProfileFile:
        seen: set[str] = set()
        for section in SECTIONS:
            for rule in getattr(self, section):
                if rule.id in seen:
                    raise ValueError(f"rule id {rule.id!r} is used twice")
                seen.add(rule.id)
        stage_ids = [stage.id for stage in self.escalation_stages]
        if len(set(stage_ids)) != len(stage_ids):
            raise ValueError("escalation stage ids must be unique")
        # A disagreement is raised in Strategise, so someone there holds it first.
        if self.escalation_stages and self.escalation_stages[0].held_by == "outside":
            raise ValueError("the first escalation stage cannot be held outside Strategise")
        codes = [marker.code for marker in self.sharing_markers]
        if len(set(codes)) != len(codes):
            raise ValueError("sharing marker codes must be unique")
        held = [code for holder in self.clock_holders for code in holder.codes]
        if len(set(held)) != len(held):
            raise ValueError("clock_holders: each clock has one holder")
        return self


SECTIONS = (
    "complex",
    "meeting",
    "timescales",
    "chair",
    "attendees",
    "steps",
    "clocks",
    "distribution",
)

# Which condition fields each section may use: triage rules know nothing of the
# decision, clock rules know only what the clocks input says. ``ref`` is not a field: the
# named condition it points to is checked field by field instead.
_TRIAGE_FIELDS = set(Condition.model_fields) - {"section_47", "any_of", "not_", "ref"}
ALLOWED_FIELDS: dict[str, set[str]] = {
    "complex": _TRIAGE_FIELDS - {"discussion_type"},
    "meeting": _TRIAGE_FIELDS,
    "timescales": _TRIAGE_FIELDS,
    "chair": _TRIAGE_FIELDS,
    "attendees": _TRIAGE_FIELDS,
    "steps": _TRIAGE_FIELDS,
    "clocks": {"section_47", "out_of_hours", "discussion_type"},
    "distribution": _TRIAGE_FIELDS,
}
