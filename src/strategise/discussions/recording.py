"""Recording a strategy discussion: the record, contributions, decisions, dissent, and
concluding it (which starts the statutory clocks).

Edits never silently overwrite: each save names the version it was based on, and if
someone else saved in between, ``EditConflict`` says what they changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models, transaction

from strategise.audit.services import audit_record
from strategise.cases.models import Child
from strategise.clocks.services import clocks_start
from strategise.discussions.models import (
    SECTION_47_OUTCOMES,
    AlsoDecided,
    ChildDecision,
    Contribution,
    Discussion,
    DiscussionRecord,
    DiscussionStatus,
    Dissent,
    FamilyInformed,
    Invitation,
    LegalAdvice,
    MedicalDecision,
    Outcome,
)
from strategise.organisations.access import sees_whole_authority
from strategise.organisations.models import User
from strategise.policy import get_profile, vocabulary
from strategise.problems import Problem
from strategise.requests.models import RequestStatus, StrategyRequest

RECORD_FIELDS = (
    "agenda_notes",
    "reason",
    "background",
    "family_details_checked",
    "other_children",
    "risk_answers",
    "medical_decision",
    "medical_reasoning",
    "medical_advice",
    "family_informed",
    "family_informed_by",
    "family_informed_when",
    "family_not_informed_reason",
    "legal_advice",
    "legal_advice_detail",
    "interpreter",
    "further_discussion_needed",
    "further_discussion_by",
)
DECISION_FIELDS = (
    "outcome",
    "also",
    "rationale",
    "seen_by",
    "seen_by_when",
    "seen_alone",
    "seen_alone_reason",
)

# Gloucestershire's risk assessment and risk review principles (§Risk Assessment Principles).
RISK_QUESTIONS = (
    "What harm are you most worried about?",
    "If this happened what is the impact on the child?",
    "What makes harm more or less likely?",
    "What is needed to reduce harm?",
    "When will this be reviewed?",
)
REVIEW_QUESTIONS = (
    "What harm were you worried about?",
    "What has been done to reduce harm?",
    "Has this improved life for the child?",
    "What do you need to do now?",
    "When will this be reviewed?",
)
RISK_SOURCE = "003_d9dc6ed7629d3148.txt §Risk Assessment Principles"


def risk_questions(discussion: Discussion) -> tuple[str, ...]:
    """The five review questions for a reconvened discussion, else the five risk questions."""
    return REVIEW_QUESTIONS if discussion.previous_id else RISK_QUESTIONS


@dataclass(frozen=True)
class AgendaEntry:
    """One item of a discussion's agenda. ``section`` names the part of the record that
    covers it; an item of the procedure's own agenda has none, and takes notes instead."""

    id: str
    title: str
    source: str = ""
    guidance: str = ""
    section: str | None = None


# For a procedure without an agenda of its own: the record's sections, in order.
DEFAULT_AGENDA = (
    AgendaEntry("introductions", "Introductions, apologies and quorum", section="introductions"),
    AgendaEntry("family", "Family and household details", section="family"),
    AgendaEntry("other-children", "Other children affected", section="other-children"),
    AgendaEntry("reason", "Reason for the discussion and the concerns", section="reason"),
    AgendaEntry("background", "Background", section="background"),
    AgendaEntry("contributions", "What each agency shared", section="contributions"),
    AgendaEntry("analysis", "Analysis of risk", source=RISK_SOURCE, section="analysis"),
    AgendaEntry("decisions", "Decisions for each child", section="decisions"),
    AgendaEntry("actions", "Actions: who does what by when", section="actions"),
)


def agenda(discussion: Discussion) -> tuple[AgendaEntry, ...]:
    """The procedure's agenda, each item citing its clause; the default one if it has none."""
    profile = get_profile(discussion.request.profile)
    if not profile.agenda:
        return DEFAULT_AGENDA
    return tuple(
        AgendaEntry(
            id=item.id,
            title=item.title,
            source=f"{profile.source_file} {item.source}",
            guidance=item.guidance,
        )
        for item in profile.agenda
    )


class EditConflict(Problem):
    """Someone else saved the same record since this edit began."""

    def __init__(self, changes: dict[str, tuple[Any, Any]], version: int = 0):
        names = ", ".join(name.replace("_", " ") for name in changes)
        super().__init__(
            "Someone else saved this while you were editing it. Your changes have not been "
            f"saved. They changed: {names}. Check their version below, then save again."
        )
        self.changes = changes
        # The version now saved: an edit based on it, having seen their changes, may save.
        self.version = version


def _children_of(discussion: Discussion) -> list[int]:
    return list(discussion.request.children.values_list("pk", flat=True))


def may_record(user: User, discussion: Discussion) -> bool:
    """The chair, the minute-taker and the authority's social care may record."""
    return user.pk in (discussion.chair_id, discussion.minute_taker_id) or (
        sees_whole_authority(user) and user.local_authority_id == discussion.local_authority_id
    )


def _require_recording(user: User, discussion: Discussion) -> None:
    if not may_record(user, discussion):
        raise Problem("Only the chair, the minute-taker or children's social care can record this")
    if discussion.status == DiscussionStatus.SCHEDULED:
        raise Problem("Start the discussion (record who is there) before recording it")
    if discussion.status == DiscussionStatus.CANCELLED:
        raise Problem("This discussion was cancelled")


def _save_versioned(
    *,
    instance: models.Model,
    fields: tuple[str, ...],
    values: dict[str, Any],
    expected_version: int,
    user: User,
    now: datetime,
    base: dict[str, Any] | None = None,
) -> None:
    """Save ``values`` only if nobody saved since ``expected_version``; say what they changed.

    If someone did, ``base`` (the values as they were when this edit began) tells whose
    change each field is: what only they changed is kept, what only this edit changed is
    saved, and only a field both changed differently is a conflict. Without ``base``,
    every field being saved that now holds something else is a conflict.
    """
    manager = type(instance)._default_manager
    current = manager.select_for_update().filter(pk=instance.pk).first() if instance.pk else None
    saved = [name for name in fields if name in values]
    if current is not None:
        current_version = getattr(current, "version")  # noqa: B009
        if current_version != expected_version:
            if base is not None:
                saved = [name for name in saved if values[name] != base.get(name)]
            changes = {
                name: (values[name], getattr(current, name))
                for name in saved
                if values[name] != getattr(current, name)
                and (base is None or getattr(current, name) != base.get(name))
            }
            if changes:
                raise EditConflict(changes, current_version)
            expected_version = current_version
    for name in saved:
        setattr(instance, name, values[name])
    setattr(instance, "version", expected_version + 1)  # noqa: B010
    setattr(instance, "updated_by", user)  # noqa: B010
    setattr(instance, "updated_at", now)  # noqa: B010
    if current is None:
        instance.save()
    else:
        # Only what this edit saves: other fields may have been changed since it was read.
        instance.save(update_fields=[*saved, "version", "updated_by", "updated_at"])


def record_save(
    *,
    user: User,
    discussion: Discussion,
    values: dict[str, Any],
    expected_version: int,
    now: datetime,
    base: dict[str, Any] | None = None,
) -> DiscussionRecord:
    """Save the record of what was shared and decided (any part of it, as a draft).

    ``base`` is the record as it was when the edit began, if known: with it, a save after
    someone else's changes to other parts keeps both.
    """
    _require_recording(user, discussion)
    with transaction.atomic():
        record, _ = DiscussionRecord.objects.get_or_create(
            discussion=discussion, defaults={"version": 0}
        )
        _save_versioned(
            instance=record,
            fields=RECORD_FIELDS,
            values=values,
            expected_version=expected_version,
            user=user,
            now=now,
            base=base,
        )
        audit_record(
            user=user,
            action="record",
            obj=record,
            children=_children_of(discussion),
            detail={"fields": sorted(name for name in values if name in RECORD_FIELDS)},
        )
    return record


def contribution_save(
    *,
    user: User,
    invitation: Invitation,
    text: str,
    not_for_family: bool,
    consent_needed: bool,
    expected_version: int,
    now: datetime,
    base: dict[str, Any] | None = None,
) -> Contribution:
    """Record an agency's contribution against its invitation, with its sharing markers."""
    discussion = invitation.discussion
    if invitation.user_id != user.pk:
        _require_recording(user, discussion)
    elif discussion.status == DiscussionStatus.CANCELLED:
        raise Problem("This discussion was cancelled")
    if not text.strip():
        raise Problem("Enter what the agency shared", "text")
    with transaction.atomic():
        contribution = Contribution.objects.filter(invitation=invitation).first() or Contribution(
            invitation=invitation, version=0
        )
        _save_versioned(
            instance=contribution,
            fields=("text", "not_for_family", "consent_needed"),
            values={
                "text": text.strip(),
                "not_for_family": not_for_family,
                "consent_needed": consent_needed,
            },
            expected_version=expected_version,
            user=user,
            now=now,
            base=base,
        )
        audit_record(
            user=user,
            action="contribute",
            obj=contribution,
            children=_children_of(discussion),
            detail={"not_for_family": not_for_family, "consent_needed": consent_needed},
        )
    return contribution


def decision_save(
    *,
    user: User,
    discussion: Discussion,
    child: Child,
    values: dict[str, Any],
    expected_version: int,
    now: datetime,
    base: dict[str, Any] | None = None,
) -> ChildDecision:
    """Record the decision for one child; every decision needs its rationale."""
    _require_recording(user, discussion)
    if not discussion.request.children.filter(pk=child.pk).exists():
        raise Problem("This child is not part of this discussion")
    errors: list[tuple[str | None, str]] = []
    if values.get("outcome") not in Outcome.values:
        errors.append(("outcome", f"Choose the decision for {child}"))
    if any(item not in AlsoDecided.values for item in values.get("also", [])):
        errors.append(("also", "Choose only from the listed further decisions"))
    if not str(values.get("rationale", "")).strip():
        errors.append(("rationale", f"Give the rationale for the decision for {child}"))
    if values.get("seen_alone") is False and not str(values.get("seen_alone_reason", "")).strip():
        errors.append(("seen_alone_reason", "Say why the child will not be seen alone"))
    if errors:
        raise Problem.many(errors)
    with transaction.atomic():
        decision = ChildDecision.objects.filter(discussion=discussion, child=child).first()
        if decision is None:
            decision = ChildDecision(discussion=discussion, child=child, version=0)
        before = decision.outcome
        _save_versioned(
            instance=decision,
            fields=DECISION_FIELDS,
            values=values,
            expected_version=expected_version,
            user=user,
            now=now,
            base=base,
        )
        if before and decision.outcome != before and decision.nfa_confirmed_by_id:
            # A confirmation of "no further action" does not carry over to another outcome.
            decision.nfa_confirmed_by = None
            decision.nfa_confirmation = ""
            decision.save(update_fields=["nfa_confirmed_by", "nfa_confirmation"])
        audit_record(
            user=user,
            action="decide",
            obj=decision,
            children=[child.pk],
            detail={"outcome": decision.outcome, "also": decision.also},
        )
    return decision


def may_confirm_no_further_action(user: User, discussion: Discussion) -> bool:
    """A team manager (or above) in the discussion's authority's social care."""
    return (
        sees_whole_authority(user)
        and user.local_authority_id == discussion.local_authority_id
        and (user.grade_rank or -1) >= vocabulary.CHAIR_GRADE_ORDER["team_manager"]
    )


def decision_confirm_no_further_action(
    *, user: User, decision: ChildDecision, reasons: str
) -> ChildDecision:
    """A team manager (or above) confirms a 'no further action' decision with reasons."""
    note = get_profile(decision.discussion.request.profile).notes.get("nfa_confirmation")
    cited = f" ({note['source']})" if note else ""
    if decision.outcome != Outcome.NO_FURTHER_ACTION:
        raise Problem("Only a 'no further action' decision needs confirming")
    if not may_confirm_no_further_action(user, decision.discussion):
        raise Problem(f"A team manager or above must confirm no further action{cited}")
    if not reasons.strip():
        raise Problem(f"Record the reasons for confirming no further action{cited}", "reasons")
    with transaction.atomic():
        decision.nfa_confirmed_by = user
        decision.nfa_confirmation = reasons.strip()
        decision.save(update_fields=["nfa_confirmed_by", "nfa_confirmation"])
        audit_record(user=user, action="confirm-nfa", obj=decision, children=[decision.child_id])
    return decision


def dissent_record(
    *, user: User, discussion: Discussion, invitation: Invitation, about: str, reasons: str
) -> Dissent:
    """Record an agency's dissent from a decision, with its reasons."""
    if invitation.discussion_id != discussion.pk:
        raise Problem("Choose an agency invited to this discussion", "invitation")
    if invitation.user_id != user.pk:
        _require_recording(user, discussion)
    errors: list[tuple[str | None, str]] = []
    if not about.strip():
        errors.append(("about", "Say which decision the agency disagrees with"))
    if not reasons.strip():
        errors.append(("reasons", "Give the agency's reasons for disagreeing"))
    if errors:
        raise Problem.many(errors)
    with transaction.atomic():
        dissent = Dissent.objects.create(
            discussion=discussion,
            invitation=invitation,
            about=about.strip(),
            reasons=reasons.strip(),
            recorded_by=user,
        )
        audit_record(user=user, action="dissent", obj=dissent, children=_children_of(discussion))
    return dissent


def _conclusion_problems(
    discussion: Discussion, record: DiscussionRecord | None
) -> list[tuple[str | None, str]]:
    """What must be recorded before a discussion can be concluded, each with its field."""
    request: StrategyRequest = discussion.request
    errors: list[tuple[str | None, str]] = []
    decided = {d.child_id: d for d in discussion.decisions.all()}
    for child in request.children.order_by("pk"):
        if child.pk not in decided:
            errors.append(("decisions", f"Record the decision for {child}"))
    nfa_note = get_profile(request.profile).notes.get("nfa_confirmation")
    if nfa_note:
        for decision in decided.values():
            if decision.outcome == Outcome.NO_FURTHER_ACTION and not decision.nfa_confirmed_by_id:
                errors.append(
                    (
                        "decisions",
                        f"A team manager must confirm no further action for {decision.child}, "
                        f"with reasons ({nfa_note['source']})",
                    )
                )
    if record is None:
        return [*errors, ("record", "Record the discussion before concluding it")]
    if not record.medical_decision:
        errors.append(("medical_decision", "Record the decision about a medical assessment"))
    elif record.medical_decision == MedicalDecision.NOT_NEEDED and not (
        record.medical_reasoning.strip() and record.medical_advice.strip()
    ):
        errors.append(
            (
                "medical_reasoning",
                "Record why there will be no medical assessment and whether medical advice "
                "was given (003_d9dc6ed7629d3148.txt §Agenda)",
            )
        )
    if not record.family_informed:
        errors.append(("family_informed", "Record whether the family will be told"))
    elif record.family_informed == FamilyInformed.YES and not (
        record.family_informed_by.strip() and record.family_informed_when.strip()
    ):
        errors.append(("family_informed_by", "Record who will tell the family and when"))
    elif (
        record.family_informed == FamilyInformed.NO
        and not record.family_not_informed_reason.strip()
    ):
        step = next(
            (
                s
                for s in request.triage["steps"]
                if s["code"] == "record_reason_if_family_not_informed"
            ),
            None,
        )
        cited = f" ({step['source']})" if step else ""
        errors.append(
            ("family_not_informed_reason", f"Record why the family will not be told{cited}")
        )
    if record.legal_advice not in LegalAdvice.values:
        errors.append(("legal_advice", "Record whether legal advice is needed"))
    if record.further_discussion_needed is None:
        errors.append(
            ("further_discussion_needed", "Record whether a further discussion is needed")
        )
    elif record.further_discussion_needed and record.further_discussion_by is None:
        errors.append(
            ("further_discussion_by", "Record when the further discussion must be held by")
        )
    return errors


def conclusion_problems(*, discussion: Discussion) -> list[tuple[str | None, str]]:
    """What must still be recorded before the discussion can be concluded (none: it can)."""
    record = DiscussionRecord.objects.filter(discussion=discussion).first()
    return _conclusion_problems(discussion, record)


def discussion_conclude(*, user: User, discussion: Discussion, now: datetime) -> Discussion:
    """The chair concludes the discussion: decisions are checked and the clocks start."""
    if user.pk != discussion.chair_id:
        raise Problem("Only the chair can conclude the discussion")
    if discussion.status != DiscussionStatus.STARTED:
        raise Problem("Only a discussion that has started can be concluded")
    record = DiscussionRecord.objects.filter(discussion=discussion).first()
    errors = _conclusion_problems(discussion, record)
    if errors:
        raise Problem.many(errors)
    section_47 = discussion.decisions.filter(outcome__in=SECTION_47_OUTCOMES).exists()
    with transaction.atomic():
        discussion.status = DiscussionStatus.HELD
        discussion.held_at = discussion.started_at or now
        discussion.version += 1
        discussion.save(update_fields=["status", "held_at", "version"])
        StrategyRequest.objects.filter(pk=discussion.request_id).update(status=RequestStatus.HELD)
        started = clocks_start(
            discussion=discussion, section_47=section_47, responsible=discussion.chair
        )
        audit_record(
            user=user,
            action="conclude",
            obj=discussion,
            children=_children_of(discussion),
            detail={"section_47": section_47, "clocks": [clock.code for clock in started]},
        )
    return discussion


__all__ = [
    "DEFAULT_AGENDA",
    "RISK_QUESTIONS",
    "RISK_SOURCE",
    "REVIEW_QUESTIONS",
    "AgendaEntry",
    "EditConflict",
    "agenda",
    "conclusion_problems",
    "contribution_save",
    "decision_confirm_no_further_action",
    "decision_save",
    "discussion_conclude",
    "dissent_record",
    "may_confirm_no_further_action",
    "may_record",
    "record_save",
    "risk_questions",
]
