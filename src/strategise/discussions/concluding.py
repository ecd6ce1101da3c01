"""Concluding a strategy discussion: what must be recorded first, and the statutory clocks
that start when the chair concludes it."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from strategise.audit.services import audit_record
from strategise.cases.models import Child
from strategise.clocks.services import clocks_start
from strategise.discussions.models import (
    SECTION_47_OUTCOMES,
    ChildDecision,
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
from strategise.integrations.models import Event
from strategise.integrations.services import webhook_emit
from strategise.organisations.models import User
from strategise.policy import census, get_profile
from strategise.policy.citations import cite
from strategise.problems import Problem
from strategise.requests.models import RequestChild, RequestStatus, StrategyRequest


def _medical_problems(
    request: StrategyRequest, decisions: list[ChildDecision]
) -> list[tuple[str | None, str]]:
    """Each child's medical assessment decision, and why not where there is none; where
    the procedure asks that siblings are considered too (Sandwell §8.0), it says so."""
    profile = get_profile(request.profile)
    rule = profile.no_medical_assessment
    siblings = profile.notes.get("sibling_medicals")
    household: dict[int, str] = dict(
        RequestChild.objects.filter(request=request).values_list("child_id", "household")
    )
    shared = list(household.values())
    errors: list[tuple[str | None, str]] = []
    for decision in decisions:
        child = decision.child
        if not decision.medical_decision:
            errors.append(
                (
                    f"medical-{child.pk}",
                    f"Record the decision about a medical assessment for {child}",
                )
            )
            continue
        if decision.medical_decision != MedicalDecision.NOT_NEEDED:
            continue
        if decision.medical_reasoning.strip() and (
            not rule.medical_advice_required or decision.medical_advice.strip()
        ):
            continue
        asked = (
            "why there will be no medical assessment and whether medical advice was given"
            if rule.medical_advice_required
            else "why there will be no medical assessment"
        )
        cited = cite(rule.source)
        if siblings and shared.count(household.get(child.pk, "")) > 1:
            cited += (
                f"; for siblings, the decision and risk assessment ({cite(siblings['source'])})"
            )
        errors.append((f"medical-{child.pk}", f"Record {asked} for {child} ({cited})"))
    return errors


def _conclusion_problems(
    discussion: Discussion, record: DiscussionRecord | None
) -> list[tuple[str | None, str]]:
    """What must be recorded before a discussion can be concluded, each with its field."""
    request: StrategyRequest = discussion.request
    errors: list[tuple[str | None, str]] = []
    decided = {d.child_id: d for d in discussion.decisions.select_related("child")}
    for child in request.children.order_by("pk"):
        if child.pk not in decided:
            errors.append(("decisions", f"Record the decision for {child}"))
        elif decided[child.pk].outcome in SECTION_47_OUTCOMES:
            errors += _census_reference_problems(child)
    nfa_note = get_profile(request.profile).notes.get("nfa_confirmation")
    if nfa_note:
        for decision in decided.values():
            if decision.outcome == Outcome.NO_FURTHER_ACTION and not decision.nfa_confirmed_by_id:
                errors.append(
                    (
                        "decisions",
                        f"A team manager must confirm no further action for {decision.child}, "
                        f"with reasons ({cite(nfa_note['source'])})",
                    )
                )
    errors += _medical_problems(request, list(decided.values()))
    if record is None:
        return [*errors, ("record", "Record the discussion before concluding it")]
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
        cited = f" ({cite(step['source'])})" if step else ""
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
        started = clocks_start(discussion=locked, section_47=section_47)
        audit_record(
            user=user,
            action="conclude",
            obj=locked,
            children=discussion_children(locked),
            detail={"section_47": section_47, "clocks": [clock.code for clock in started]},
        )
        webhook_emit(event=Event.DISCUSSION_CONCLUDED, subject=locked, now=now)
    for name in ("status", "held_at", "concluded_at", "version"):
        setattr(discussion, name, getattr(locked, name))
    return discussion


def _census_reference_problems(child: Child) -> list[tuple[str | None, str]]:
    """A section 47 enquiry goes into the children in need census under the child's local
    case reference (its ``LAchildID``), so the reference must fit the census's rules."""
    problem = census.child_id_problem(child.local_reference)
    if problem is None:
        return []
    return [
        (
            "decisions",
            f"The local case reference of {child} {problem}: the children in need census "
            f"lists a section 47 enquiry under it ({census.CHILD_ID_RULE}). Record it on "
            "the child's page",
        )
    ]
