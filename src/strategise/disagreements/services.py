"""Raising, escalating and resolving a professional disagreement.

Any participant may raise one: an invitee to one of the request's discussions, or the
authority's children's social care. It is about holding a discussion, its outcome or the
section 47 outcome (003_d9dc6ed7629d3148.txt §Dispute Resolution and Escalation
Procedure). It starts at the procedure's first stage and moves one stage at a time; at
each the holder is whoever the procedure names (``holders.stage_holding``: e.g. Sandwell
§12.0's senior managers of the agencies concerned), never simply whoever raised it. At
each move everyone involved is told; a stage held outside Strategise names a person, who
is emailed (with no case detail). Each move and the resolution are audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction

from strategise.access import may_move, may_raise
from strategise.audit.idempotency import form_claim, form_keep, form_replayed
from strategise.audit.services import audit_record
from strategise.disagreements.holders import stage_holding
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
from strategise.policy.wording import format_when
from strategise.problems import Problem
from strategise.requests.models import RequestChild, StrategyRequest


def escalation_stages(profile: str) -> tuple[dict[str, str], ...]:
    """The stages a disagreement moves through under ``profile``, first to last (a local
    procedure without its own inherits the national route)."""
    return get_profile(profile).escalation_stages


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
        disagreement = Disagreement(
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
            held_since=now,
        )
        holding = stage_holding(disagreement, first)
        disagreement.holder_name = holding.words
        disagreement.save()
        disagreement.holders.set(holding.users)
        form_keep(user=user, token=token, obj=disagreement)
        move = Move.objects.create(
            disagreement=disagreement,
            kind=Move.Kind.RAISED,
            stage_title=first["title"],
            stage_source=first["source"],
            holder_name=holding.words,
            note=disagreement.description,
            moved_by=user,
            moved_at=now,
        )
        audit_record(
            user=user,
            action="disagreement-raised",
            obj=disagreement,
            children=children_of(request.pk),
            detail={
                "subject": subject,
                "stage": first["id"],
                "holders": [person.pk for person in holding.users],
            },
        )
        _tell_everyone_involved(
            disagreement=disagreement,
            move=move,
            user=user,
            holders=holding.users,
            what=f"{user} has raised a professional disagreement about request {request.pk}",
            now=now,
        )
    return disagreement


def _involved(
    disagreement: Disagreement, holders: Iterable[User], previous: Iterable[User] = ()
) -> dict[int, User]:
    """Everyone a move concerns: whoever raised the disagreement and the request, the
    chair of its discussion, and whoever held it and holds it now."""
    chair = [disagreement.discussion.chair] if disagreement.discussion is not None else []
    people = [disagreement.raised_by, disagreement.request.raised_by, *chair, *previous, *holders]
    return {person.pk: person for person in people}


def _tell_everyone_involved(
    *,
    disagreement: Disagreement,
    move: Move,
    user: User,
    holders: Iterable[User],
    what: str,
    now: datetime,
    previous: Iterable[User] = (),
) -> None:
    """Tell each person involved (but whoever moved it) about the move, once each."""
    holding = {person.pk for person in holders}
    where = f"{disagreement.stage_title}, {cite(disagreement.stage_source)}"
    for person in _involved(disagreement, holders, previous).values():
        if person.pk == user.pk:
            continue
        if disagreement.status == DisagreementStatus.RESOLVED:
            text = f"{what}: {disagreement.get_resolution_display()}."
        elif person.pk in holding:
            text = f"{what}. You hold it now ({where})."
        else:
            text = f"{what}. It is now at {where}; held by {disagreement.holder_name}."
        notify(
            user=person,
            kind=Kind.DISAGREEMENT,
            text=text,
            target=_target(disagreement),
            dedupe_key=f"disagreement:{disagreement.pk}:move:{move.pk}:{person.pk}",
            now=now,
        )


def _outside_email(*, user: User, disagreement: Disagreement, now: datetime) -> EmailMessage:
    """The email to the person outside Strategise who holds it now: who escalated it, under
    which clause, and how to reach them; no case detail (it stays in Strategise)."""
    contact = f"{user} ({user.agency}, {user.email})" if user.email else f"{user} ({user.agency})"
    body = "\n".join(
        [
            f"Dear {disagreement.outside_name},",
            "",
            f"{contact} has escalated a professional disagreement in "
            f"{disagreement.local_authority} to you on {format_when(now)}, at the stage "
            f"'{disagreement.stage_title}' ({cite(disagreement.stage_source)}).",
            "",
            f"Its reference in Strategise is disagreement {disagreement.pk}. Please contact "
            f"{user} to hear what it is about and agree how it will be resolved.",
            "",
            "Case details are not sent by email.",
        ]
    )
    return EmailMessage(
        subject=f"A professional disagreement has been escalated to you ({disagreement.pk})",
        body=body,
        to=[disagreement.outside_email],
    )


def disagreement_escalate(
    *,
    user: User,
    disagreement: Disagreement,
    note: str,
    expected_stage: int,
    now: datetime,
    outside_name: str = "",
    outside_email: str = "",
) -> Disagreement:
    """Move it to the procedure's next stage, held by whoever the procedure names there: the
    users in that role, or (for a stage held outside Strategise) the person named, who is
    emailed."""
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
    following = stages[disagreement.stage + 1]
    if not note.strip():
        errors.append(("note", "Say why it is being escalated and what has been tried"))
    outside = following["held_by"] == "outside"
    if outside and not outside_name.strip():
        errors.append(("outside_name", "Enter the name of the person who holds it next"))
    if outside and not _is_email(outside_email.strip()):
        errors.append(
            (
                "outside_email",
                "Enter their email address in the correct format, like name@example.org",
            )
        )
    if errors:
        raise Problem.many(errors)
    with transaction.atomic(durable=True):
        locked = (
            Disagreement.objects.select_for_update(of=("self",))
            .select_related("request", "discussion", "raised_by", "local_authority")
            .get(pk=disagreement.pk)
        )
        if locked.stage != expected_stage or locked.status != DisagreementStatus.OPEN:
            raise Problem("Someone else moved this disagreement on: reload it")
        previous = list(locked.holders.all())
        holding = stage_holding(locked, following, outside_name=outside_name.strip())
        locked.stage += 1
        locked.stage_code = following["id"]
        locked.stage_title = following["title"]
        locked.stage_source = following["source"]
        locked.holder_name = holding.words
        locked.outside_name = outside_name.strip() if outside else ""
        locked.outside_email = outside_email.strip() if outside else ""
        locked.held_since = now
        locked.version += 1
        locked.save()
        locked.holders.set(holding.users)
        move = Move.objects.create(
            disagreement=locked,
            kind=Move.Kind.ESCALATED,
            stage_title=following["title"],
            stage_source=following["source"],
            holder_name=holding.words,
            outside_email=locked.outside_email,
            note=note.strip(),
            moved_by=user,
            moved_at=now,
        )
        audit_record(
            user=user,
            action="disagreement-escalated",
            obj=locked,
            children=children_of(locked.request_id),
            detail={
                "stage": following["id"],
                "holder": holding.words,
                "holders": [person.pk for person in holding.users],
                **({"outside_email": locked.outside_email} if outside else {}),
            },
        )
        _tell_everyone_involved(
            disagreement=locked,
            move=move,
            user=user,
            holders=holding.users,
            previous=previous,
            what=(
                f"{user} has escalated a professional disagreement about request "
                f"{locked.request_id}"
            ),
            now=now,
        )
        if outside:
            transaction.on_commit(_outside_email(user=user, disagreement=locked, now=now).send)
    return locked


def _is_email(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def disagreement_resolve(
    *, user: User, disagreement: Disagreement, resolution: str, outcome: str, now: datetime
) -> Disagreement:
    """Record how it was resolved, with the outcome; everyone involved is told."""
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
        locked = (
            Disagreement.objects.select_for_update(of=("self",))
            .select_related("request", "discussion", "raised_by")
            .get(pk=disagreement.pk)
        )
        if locked.status != DisagreementStatus.OPEN:
            raise Problem("Someone else resolved this disagreement: reload it")
        locked.status = DisagreementStatus.RESOLVED
        locked.resolution = resolution
        locked.outcome = outcome.strip()
        locked.resolved_by = user
        locked.resolved_at = now
        locked.version += 1
        locked.save()
        move = Move.objects.create(
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
        _tell_everyone_involved(
            disagreement=locked,
            move=move,
            user=user,
            holders=locked.holders.all(),
            what=(
                f"The professional disagreement about request {locked.request_id} has been resolved"
            ),
            now=now,
        )
    return locked
