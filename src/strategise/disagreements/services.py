"""Raising, escalating and resolving a professional disagreement.

Any participant may raise one: an invitee to one of the request's discussions, or the
authority's children's social care. It is about holding a discussion, its outcome or the
section 47 outcome (003_d9dc6ed7629d3148.txt §Dispute Resolution and Escalation
Procedure). It starts at the procedure's first stage, held by whoever raised it, and
moves one stage at a time; each move and the resolution are audited and notified.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from strategise.access import may_move, may_raise
from strategise.audit.idempotency import form_claim, form_keep, form_replayed
from strategise.audit.services import audit_record
from strategise.disagreements.models import (
    Disagreement,
    DisagreementStatus,
    Move,
    Resolution,
    Subject,
)
from strategise.discussions.models import Discussion, DiscussionStatus
from strategise.links import Target, TargetKind
from strategise.notifications.models import Kind
from strategise.notifications.services import notify
from strategise.organisations.models import User
from strategise.policy import get_profile
from strategise.policy.citations import cite
from strategise.problems import Problem
from strategise.requests.models import RequestChild, StrategyRequest

# For a procedure that sets no stages of its own (the national baseline, Birmingham, PCC),
# the usual route: the professionals, their line managers, the agencies' strategy
# discussion leads, then the local safeguarding partnership's escalation procedure.
NO_LOCAL_CLAUSE = "No local clause: the safeguarding partnership's escalation procedure"
DEFAULT_STAGES: tuple[dict[str, str], ...] = (
    {
        "id": "default-professionals",
        "title": "Professional to professional",
        "holder": "The professionals where the difference exists",
        "reason": "The professional raises their concern with the professional concerned.",
        "source": NO_LOCAL_CLAUSE,
    },
    {
        "id": "default-line-managers",
        "title": "Line managers",
        "holder": "The line managers of the professionals concerned",
        "reason": "The line managers talk directly to each other to resolve it.",
        "source": NO_LOCAL_CLAUSE,
    },
    {
        "id": "default-strategy-leads",
        "title": "Strategy discussion leads",
        "holder": "Each agency's strategy discussion lead",
        "reason": "The agencies' strategy discussion leads agree a way forward.",
        "source": NO_LOCAL_CLAUSE,
    },
    {
        "id": "default-partnership",
        "title": "Safeguarding partnership",
        "holder": "The local safeguarding partnership",
        "reason": "The local safeguarding partnership's escalation procedure is followed.",
        "source": NO_LOCAL_CLAUSE,
    },
)


def escalation_stages(profile: str) -> tuple[dict[str, str], ...]:
    """The stages a disagreement moves through under ``profile``, first to last."""
    return get_profile(profile).escalation_stages or DEFAULT_STAGES


def children_of(request_id: int) -> list[int]:
    return list(
        RequestChild.objects.filter(request_id=request_id).values_list("child_id", flat=True)
    )


def _target(disagreement: Disagreement) -> Target:
    return Target(TargetKind.DISAGREEMENT, disagreement.pk)


def disagreement_raise(
    *,
    user: User,
    request: StrategyRequest,
    subject: str,
    description: str,
    now: datetime,
    discussion: Discussion | None = None,
    token: str = "",
) -> Disagreement:
    """Raise a difference of professional opinion; it starts at the procedure's first stage.
    A repeated post of the same form (``token``) answers with the one it raised."""
    first_post = form_replayed(user=user, token=token, model=Disagreement)
    if first_post is not None:
        return first_post
    if not may_raise(user, request):
        raise Problem("Only someone taking part in this request's discussions can raise this")
    errors: list[tuple[str | None, str]] = []
    if subject not in Subject.values:
        errors.append(("subject", "Choose what the disagreement is about"))
    if not description.strip():
        errors.append(("description", "Describe the difference of opinion and why"))
    if discussion is not None and discussion.request_id != request.pk:
        errors.append(("discussion", "Choose a discussion of this request"))
    elif subject in (Subject.OUTCOME, Subject.S47_OUTCOME) and (
        discussion is None or discussion.status != DiscussionStatus.HELD
    ):
        errors.append(("discussion", "Choose the discussion whose outcome you disagree with"))
    if errors:
        raise Problem.many(errors)
    first = escalation_stages(request.profile)[0]
    with transaction.atomic(durable=True):
        first_post = form_claim(user=user, token=token, model=Disagreement)
        if first_post is not None:
            return first_post
        disagreement = Disagreement.objects.create(
            local_authority_id=request.local_authority_id,
            request=request,
            discussion=discussion,
            subject=subject,
            description=description.strip(),
            raised_by=user,
            raised_by_agency_id=user.agency_id,
            raised_at=now,
            stage=0,
            stage_code=first["id"],
            stage_title=first["title"],
            stage_source=first["source"],
            holder=user,
            holder_name=str(user),
            held_since=now,
        )
        form_keep(user=user, token=token, obj=disagreement)
        Move.objects.create(
            disagreement=disagreement,
            kind=Move.Kind.RAISED,
            stage_title=first["title"],
            stage_source=first["source"],
            holder_name=str(user),
            note=disagreement.description,
            moved_by=user,
            moved_at=now,
        )
        audit_record(
            user=user,
            action="disagreement-raised",
            obj=disagreement,
            children=children_of(request.pk),
            detail={"subject": subject, "stage": first["id"]},
        )
        told = [request.raised_by] + ([discussion.chair] if discussion is not None else [])
        for person in {p.pk: p for p in told if p.pk != user.pk}.values():
            notify(
                user=person,
                kind=Kind.DISAGREEMENT,
                text=(
                    f"{user} has raised a professional disagreement about request "
                    f"{request.pk}: {disagreement.get_subject_display().lower()}."
                ),
                target=_target(disagreement),
                dedupe_key=f"disagreement:{disagreement.pk}:raised:{person.pk}",
                now=now,
            )
    return disagreement


def disagreement_escalate(
    *,
    user: User,
    disagreement: Disagreement,
    note: str,
    expected_stage: int,
    now: datetime,
    holder: User | None = None,
    holder_name: str = "",
) -> Disagreement:
    """Move it to the procedure's next stage, held by ``holder`` (a user) or someone named."""
    if not may_move(user, disagreement):
        raise Problem("Only whoever raised or holds it, or a social care manager, can escalate it")
    stages = escalation_stages(disagreement.request.profile)
    errors: list[tuple[str | None, str]] = []
    if disagreement.status != DisagreementStatus.OPEN:
        raise Problem("This disagreement has been resolved")
    if disagreement.stage + 1 >= len(stages):
        raise Problem(
            f"It is at the procedure's last stage ({disagreement.stage_title}, "
            f"{cite(disagreement.stage_source)}): record how it was resolved"
        )
    if not note.strip():
        errors.append(("note", "Say why it is being escalated and what has been tried"))
    if holder is None and not holder_name.strip():
        errors.append(("holder", "Say who holds it at the next stage"))
    if errors:
        raise Problem.many(errors)
    following = stages[disagreement.stage + 1]
    name = str(holder) if holder is not None else holder_name.strip()
    with transaction.atomic(durable=True):
        locked = Disagreement.objects.select_for_update().get(pk=disagreement.pk)
        if locked.stage != expected_stage or locked.status != DisagreementStatus.OPEN:
            raise Problem("Someone else moved this disagreement on: reload it")
        locked.stage += 1
        locked.stage_code = following["id"]
        locked.stage_title = following["title"]
        locked.stage_source = following["source"]
        locked.holder = holder
        locked.holder_name = name
        locked.held_since = now
        locked.version += 1
        locked.save()
        Move.objects.create(
            disagreement=locked,
            kind=Move.Kind.ESCALATED,
            stage_title=following["title"],
            stage_source=following["source"],
            holder_name=name,
            note=note.strip(),
            moved_by=user,
            moved_at=now,
        )
        audit_record(
            user=user,
            action="disagreement-escalated",
            obj=locked,
            children=children_of(locked.request_id),
            detail={"stage": following["id"], "holder": name},
        )
        if holder is not None and holder.pk != user.pk:
            notify(
                user=holder,
                kind=Kind.DISAGREEMENT,
                text=(
                    f"A professional disagreement about request {locked.request_id} has been "
                    f"escalated to you: {following['title']} ({cite(following['source'])})."
                ),
                target=_target(locked),
                dedupe_key=f"disagreement:{locked.pk}:stage:{locked.stage}:{holder.pk}",
                now=now,
            )
    return locked


def disagreement_resolve(
    *, user: User, disagreement: Disagreement, resolution: str, outcome: str, now: datetime
) -> Disagreement:
    """Record how it was resolved, with the outcome; whoever raised it is told."""
    if not may_move(user, disagreement):
        raise Problem("Only whoever raised or holds it, or a social care manager, can resolve it")
    if disagreement.status != DisagreementStatus.OPEN:
        raise Problem("This disagreement has already been resolved")
    errors: list[tuple[str | None, str]] = []
    if resolution not in Resolution.values:
        errors.append(("resolution", "Choose how it was resolved"))
    if not outcome.strip():
        errors.append(("outcome", "Record the outcome and what happens next"))
    if errors:
        raise Problem.many(errors)
    with transaction.atomic(durable=True):
        locked = Disagreement.objects.select_for_update().get(pk=disagreement.pk)
        if locked.status != DisagreementStatus.OPEN:
            raise Problem("Someone else resolved this disagreement: reload it")
        locked.status = DisagreementStatus.RESOLVED
        locked.resolution = resolution
        locked.outcome = outcome.strip()
        locked.resolved_by = user
        locked.resolved_at = now
        locked.version += 1
        locked.save()
        Move.objects.create(
            disagreement=locked,
            kind=Move.Kind.RESOLVED,
            stage_title=locked.stage_title,
            stage_source=locked.stage_source,
            holder_name=locked.holder_name,
            note=locked.outcome,
            moved_by=user,
            moved_at=now,
        )
        audit_record(
            user=user,
            action="disagreement-resolved",
            obj=locked,
            children=children_of(locked.request_id),
            detail={"resolution": resolution, "stage": locked.stage_code},
        )
        if locked.raised_by_id != user.pk:
            notify(
                user=locked.raised_by,
                kind=Kind.DISAGREEMENT,
                text=(
                    f"The professional disagreement you raised about request "
                    f"{locked.request_id} has been resolved: {locked.get_resolution_display()}."
                ),
                target=_target(locked),
                dedupe_key=f"disagreement:{locked.pk}:resolved",
                now=now,
            )
    return locked
