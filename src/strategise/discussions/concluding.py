"""Concluding a strategy discussion: what must be recorded first, and the statutory clocks
that start when the chair concludes it."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from strategise.audit.services import audit_record
from strategise.clocks.services import clocks_start
from strategise.discussions.models import (
    SECTION_47_OUTCOMES,
    Discussion,
    DiscussionRecord,
    DiscussionStatus,
    FamilyInformed,
    LegalAdvice,
    MedicalDecision,
    Outcome,
)
from strategise.discussions.recording import (
    concluded_problem,
    discussion_children,
    lock_discussion,
)
from strategise.organisations.models import User
from strategise.policy import get_profile
from strategise.problems import Problem
from strategise.requests.models import RequestStatus, StrategyRequest


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
    elif record.medical_decision == MedicalDecision.NOT_NEEDED:
        rule = get_profile(request.profile).no_medical_assessment
        if not record.medical_reasoning.strip() or (
            rule.medical_advice_required and not record.medical_advice.strip()
        ):
            asked = (
                "why there will be no medical assessment and whether medical advice was given"
                if rule.medical_advice_required
                else "why there will be no medical assessment"
            )
            errors.append(("medical_reasoning", f"Record {asked} ({rule.source})"))
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
    """The chair concludes the discussion: decisions are checked, the record is locked and
    the clocks start. The row is locked and its state checked inside the transaction, so
    two conclusions at once conclude it once."""
    if user.pk != discussion.chair_id:
        raise Problem("Only the chair can conclude the discussion")
    if discussion.status == DiscussionStatus.HELD:
        raise concluded_problem(discussion)
    if discussion.status != DiscussionStatus.STARTED:
        raise Problem("Only a discussion that has started can be concluded")
    with transaction.atomic(durable=True):
        locked = lock_discussion(discussion, status=DiscussionStatus.STARTED, doing="concluding")
        record = DiscussionRecord.objects.filter(discussion=locked).first()
        errors = _conclusion_problems(locked, record)
        if errors:
            raise Problem.many(errors)
        section_47 = locked.decisions.filter(outcome__in=SECTION_47_OUTCOMES).exists()
        locked.status = DiscussionStatus.HELD
        locked.held_at = locked.started_at or now
        locked.concluded_at = now
        locked.version += 1
        locked.save(update_fields=["status", "held_at", "concluded_at", "version"])
        StrategyRequest.objects.filter(pk=locked.request_id).update(status=RequestStatus.HELD)
        started = clocks_start(discussion=locked, section_47=section_47, responsible=locked.chair)
        audit_record(
            user=user,
            action="conclude",
            obj=locked,
            children=discussion_children(locked),
            detail={"section_47": section_47, "clocks": [clock.code for clock in started]},
        )
    for name in ("status", "held_at", "concluded_at", "version"):
        setattr(discussion, name, getattr(locked, name))
    return discussion
