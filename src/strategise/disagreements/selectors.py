"""Reading professional disagreements, scoped to the user and audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.shortcuts import get_object_or_404

from strategise.access import NO_CASE_ACCESS, may_move, visible_disagreements, visible_discussions
from strategise.audit.services import audit_record
from strategise.cases.models import Child
from strategise.cases.names import listed
from strategise.cases.selectors import children_named
from strategise.disagreements.models import Disagreement, DisagreementStatus, Move
from strategise.disagreements.services import children_of, escalation_stages
from strategise.discussions.models import Discussion
from strategise.organisations.models import User
from strategise.organisations.selectors import authority_directory


@dataclass(frozen=True)
class DisagreementDetail:
    disagreement: Disagreement
    moves: list[Move]
    stages: tuple[dict[str, str], ...]
    may_move: bool

    @property
    def next_stage(self) -> dict[str, str] | None:
        """The stage it would be escalated to, if it is open and not at the last stage."""
        following = self.disagreement.stage + 1
        if self.disagreement.status != DisagreementStatus.OPEN or following >= len(self.stages):
            return None
        return self.stages[following]


def disagreement_get(*, user: User, pk: int) -> DisagreementDetail:
    """One disagreement the user may see (404 otherwise), with its history; audited."""
    with transaction.atomic():
        disagreement = get_object_or_404(
            visible_disagreements(user).select_related("request", "raised_by", "holder"), pk=pk
        )
        detail = DisagreementDetail(
            disagreement=disagreement,
            moves=list(disagreement.moves.select_related("moved_by")),
            stages=escalation_stages(disagreement.request.profile),
            may_move=may_move(user, disagreement),
        )
        audit_record(
            user=user,
            action="view",
            obj=disagreement,
            children=children_of(disagreement.request_id),
        )
    return detail


@dataclass(frozen=True)
class ListedDisagreement:
    """A disagreement in a list, with the children it is about that the user may see."""

    disagreement: Disagreement
    children: list[Child]

    @property
    def about(self) -> str:
        """The children's names, or, for someone who may not see them (who holds it, say,
        without being invited to the discussion), a neutral description."""
        return (
            listed([child.full_name for child in self.children])
            or "Children not shown: you are not invited to their discussion"
        )


def disagreement_list(
    *, user: User, request_id: int | None = None, open_only: bool = True
) -> list[ListedDisagreement]:
    """The disagreements the user may see (of one request, if given), longest held first,
    each with its children named for those who may see them; audited."""
    found = visible_disagreements(user).select_related("raised_by", "holder")
    if request_id is not None:
        found = found.filter(request_id=request_id)
    if open_only:
        found = found.filter(status=DisagreementStatus.OPEN)
    with transaction.atomic():
        disagreements = list(found.order_by("held_since", "pk")[:200])
        named = children_named(user=user, request_ids={d.request_id for d in disagreements})
        audit_record(
            user=user,
            action="list-disagreements",
            object_type="disagreements.Disagreement",
            children={child.pk for children in named.values() for child in children},
            detail={"count": len(disagreements), "request": request_id},
        )
    return [
        ListedDisagreement(disagreement=d, children=named.get(d.request_id, []))
        for d in disagreements
    ]


def discussion_for_disagreement(*, user: User, pk: int) -> Discussion:
    """The discussion a disagreement is to be raised from, if the user may see it (404
    otherwise); audited."""
    with transaction.atomic():
        discussion = get_object_or_404(visible_discussions(user).select_related("request"), pk=pk)
        audit_record(
            user=user,
            action="view",
            obj=discussion,
            children=children_of(discussion.request_id),
            detail={"for": "raising a disagreement"},
        )
    return discussion


def escalation_holders(*, user: User) -> list[User]:
    """Who the user may name as the next stage's holder: the people of their authority who
    work with cases (social care only; anyone else names them in words)."""
    return [
        person
        for person in authority_directory(user=user).users
        if person.role not in NO_CASE_ACCESS
    ]
