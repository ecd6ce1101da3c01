"""How a discussion is run, as its procedure says: the analysis of risk, reconvening,
sharing markers, the initial child protection conference and the record of a decision
not to hold a medical assessment.

Each comes from profile data with its clause. A profile that says nothing takes its
parent's, so where a local procedure is silent the national baseline (Working Together
to Safeguard Children 2023) answers, never another area's procedure. The baseline, a
profile that extends no other, must state each one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .calendar import Within
from .schema import ClockRule, ProfileFile, RiskQuestions
from .vocabulary import SHARING_MARKERS


class ProcedureError(ValueError):
    """The profile (with its parents) leaves out something every procedure must state."""


@dataclass(frozen=True, slots=True)
class Questions:
    """The questions an analysis of risk answers, in order, and the clause that sets them."""

    questions: tuple[str, ...]
    source: str


@dataclass(frozen=True, slots=True)
class Timescale:
    """A clock rule's timescale with its citation: how long, in the procedure's words."""

    within: Within
    reason: str
    source: str
    rule: str


@dataclass(frozen=True, slots=True)
class Reconvening:
    """Holding more than one discussion: the clause, whether a reconvened one must give its
    reason, and the longest the procedure allows between discussions (if it sets one)."""

    reason: str
    source: str
    rationale_required: bool
    interval: Timescale | None


@dataclass(frozen=True, slots=True)
class SharingMarker:
    """A marker on shared information, in the words printed beside it, with its clause."""

    code: str
    label: str
    reason: str
    source: str


@dataclass(frozen=True, slots=True)
class NoMedicalAssessment:
    """What is recorded when no medical assessment is to be held: always the reasoning,
    and whether medical advice was given where ``medical_advice_required``."""

    reason: str
    source: str
    medical_advice_required: bool


@dataclass(frozen=True, slots=True)
class ClockHolder:
    """Who the procedure makes responsible for a clock: a ``holder`` code (see
    ``vocabulary.CLOCK_HOLDERS``), in the procedure's words (``title``), with its clause."""

    code: str
    holder: str
    title: str
    reason: str
    source: str


@dataclass(frozen=True, slots=True)
class Procedure:
    """The running rules of one profile, each with its full citation."""

    risk: Questions
    review: Questions
    reconvening: Reconvening
    sharing_markers: tuple[SharingMarker, ...]
    icpc: Timescale
    no_medical_assessment: NoMedicalAssessment
    clock_holders: tuple[ClockHolder, ...] = ()


def _questions(spec: ProfileFile, questions: RiskQuestions) -> Questions:
    return Questions(tuple(questions.questions), f"{spec.source_file} {questions.source}")


def _first_clock(clocks: Sequence[tuple[ClockRule, str]], code: str) -> Timescale | None:
    """The first clock rule setting ``code``: the profile's own come before its parent's."""
    for rule, citation in clocks:
        if rule.code == code:
            return Timescale(rule.within, rule.reason, citation, rule.id)
    return None


def _missing(path: Path, key: str) -> ProcedureError:
    return ProcedureError(
        f"{path.name}: {key}: missing; a profile that extends no other is the baseline "
        "the others inherit, so it must state it"
    )


def build_procedure(
    path: Path,
    spec: ProfileFile,
    parent: Procedure | None,
    clocks: Sequence[tuple[ClockRule, str]],
) -> Procedure:
    """The running rules of ``spec``: its own where it states them, else its parent's.

    ``clocks`` are the profile's clock rules with their citations, own first; the ICPC
    timescale and the interval between discussions are read from them, so each is
    written once.
    """
    source = spec.source_file
    analysis = spec.risk_analysis
    if analysis is not None:
        risk = _questions(spec, analysis)
        review = _questions(spec, analysis.review) if analysis.review else risk
    elif parent is not None:
        risk, review = parent.risk, parent.review
    else:
        raise _missing(path, "risk_analysis")

    note = spec.reconvening
    if note is not None:
        said = (note.reason, f"{source} {note.source}", note.rationale_required)
    elif parent is not None:
        said = (
            parent.reconvening.reason,
            parent.reconvening.source,
            parent.reconvening.rationale_required,
        )
    else:
        raise _missing(path, "reconvening")
    reconvening = Reconvening(*said, interval=_first_clock(clocks, "next_discussion_by"))

    medical = spec.no_medical_assessment
    if medical is not None:
        no_medical = NoMedicalAssessment(
            medical.reason, f"{source} {medical.source}", medical.medical_advice_required
        )
    elif parent is not None:
        no_medical = parent.no_medical_assessment
    else:
        raise _missing(path, "no_medical_assessment")

    icpc = _first_clock(clocks, "icpc_held")
    if icpc is None:
        raise ProcedureError(
            f"{path.name}: clocks: no icpc_held clock; the national baseline sets when the "
            "initial child protection conference is held, so do not replace it without "
            "stating the procedure's own"
        )

    markers = {marker.code: marker for marker in parent.sharing_markers} if parent else {}
    for own in spec.sharing_markers:
        markers[own.code] = SharingMarker(
            own.code, SHARING_MARKERS[own.code], own.reason, f"{source} {own.source}"
        )
    holders = {holder.code: holder for holder in parent.clock_holders} if parent else {}
    for rule in spec.clock_holders:
        for code in rule.codes:
            holders[code] = ClockHolder(
                code, rule.holder, rule.title, rule.reason, f"{source} {rule.source}"
            )
    return Procedure(
        clock_holders=tuple(holders.values()),
        risk=risk,
        review=review,
        reconvening=reconvening,
        sharing_markers=tuple(markers[code] for code in SHARING_MARKERS if code in markers),
        icpc=icpc,
        no_medical_assessment=no_medical,
    )
