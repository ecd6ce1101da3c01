"""The decision for each child, confirming "no further action", and an agency's dissent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction

from strategise.access import may_confirm_no_further_action
from strategise.audit.idempotency import form_claim, form_keep, form_replayed
from strategise.audit.services import audit_record
from strategise.cases.models import Child
from strategise.discussions.models import (
    AlsoDecided,
    ChildDecision,
    Discussion,
    Dissent,
    Invitation,
    MedicalDecision,
    Outcome,
)
from strategise.discussions.recording import (
    discussion_children,
    open_correction,
    require_recording,
    require_unlocked,
    save_versioned,
)
from strategise.organisations.models import User
from strategise.policy import get_profile
from strategise.policy.citations import cite
from strategise.policy.wording import format_when
from strategise.problems import Problem

DECISION_FIELDS = (
    "outcome",
    "also",
    "rationale",
    "seen_by",
    "seen_by_when",
    "seen_alone",
    "seen_alone_reason",
    "medical_decision",
    "medical_reasoning",
    "medical_advice",
)


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
    """Record the decision for one child; every decision needs its rationale. Its medical
    assessment decision may wait until the discussion is concluded."""
    require_recording(user, discussion)
    if not discussion.request.children.filter(pk=child.pk).exists():
        raise Problem("This child is not part of this discussion")
    errors: list[tuple[str | None, str]] = []
    if values.get("medical_decision", "") not in ("", *MedicalDecision.values):
        errors.append(("medical_decision", "Choose one of the listed medical decisions"))
    seen_by_when = values.get("seen_by_when")
    if seen_by_when is not None and seen_by_when < (
        discussion.started_at or discussion.scheduled_for
    ):
        errors.append(
            (
                "seen_by_when",
                f"The date {child} will be seen by must be after the discussion "
                f"({format_when(discussion.started_at or discussion.scheduled_for)})",
            )
        )
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
    with transaction.atomic(durable=True):
        require_unlocked(discussion)
        decision = ChildDecision.objects.filter(discussion=discussion, child=child).first()
        if decision is None:
            decision = ChildDecision(
                discussion=discussion,
                local_authority_id=discussion.local_authority_id,
                child=child,
                version=0,
            )
        before = decision.outcome
        was = [getattr(decision, name) for name in DECISION_FIELDS]
        save_versioned(
            instance=decision,
            fields=DECISION_FIELDS,
            values=values,
            expected_version=expected_version,
            user=user,
            now=now,
            base=base,
        )
        changed = was != [getattr(decision, name) for name in DECISION_FIELDS]
        corrected = changed and open_correction(discussion) is not None
        if before and (decision.outcome != before or corrected) and decision.nfa_confirmed_by_id:
            # A confirmation of "no further action" does not carry over to another outcome,
            # nor to a decision changed by a correction: it is confirmed again.
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


def decision_confirm_no_further_action(
    *, user: User, decision: ChildDecision, reasons: str
) -> ChildDecision:
    """A team manager (or above) confirms a 'no further action' decision with reasons."""
    note = get_profile(decision.discussion.request.profile).notes.get("nfa_confirmation")
    cited = f" ({cite(note['source'])})" if note else ""
    if decision.outcome != Outcome.NO_FURTHER_ACTION:
        raise Problem("Only a 'no further action' decision needs confirming")
    if not may_confirm_no_further_action(user, decision.discussion):
        raise Problem(f"A team manager or above must confirm no further action{cited}")
    if not reasons.strip():
        raise Problem(f"Record the reasons for confirming no further action{cited}", "reasons")
    require_unlocked(decision.discussion)
    with transaction.atomic(durable=True):
        require_unlocked(decision.discussion)
        decision.nfa_confirmed_by = user
        decision.nfa_confirmation = reasons.strip()
        decision.save(update_fields=["nfa_confirmed_by", "nfa_confirmation"])
        audit_record(user=user, action="confirm-nfa", obj=decision, children=[decision.child_id])
    return decision


def dissent_record(
    *,
    user: User,
    discussion: Discussion,
    invitation: Invitation,
    about: str,
    reasons: str,
    token: str = "",
) -> Dissent:
    """Record an agency's dissent from a decision, with its reasons (once per form)."""
    first = form_replayed(user=user, token=token, model=Dissent)
    if first is not None:
        return first
    if invitation.discussion_id != discussion.pk:
        raise Problem("Choose an agency invited to this discussion", "invitation")
    if invitation.user_id != user.pk:
        require_recording(user, discussion)
    else:
        require_unlocked(discussion)
    errors: list[tuple[str | None, str]] = []
    if not about.strip():
        errors.append(("about", "Say which decision the agency disagrees with"))
    if not reasons.strip():
        errors.append(("reasons", "Give the agency's reasons for disagreeing"))
    if errors:
        raise Problem.many(errors)
    with transaction.atomic(durable=True):
        require_unlocked(discussion)
        first = form_claim(user=user, token=token, model=Dissent)
        if first is not None:
            return first
        dissent = Dissent.objects.create(
            discussion=discussion,
            invitation=invitation,
            about=about.strip(),
            reasons=reasons.strip(),
            recorded_by=user,
        )
        form_keep(user=user, token=token, obj=dissent)
        audit_record(
            user=user, action="dissent", obj=dissent, children=discussion_children(discussion)
        )
    return dissent
