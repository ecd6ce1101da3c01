"""Reading professional disagreements, scoped to the user and audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404

from strategise.access import may_move, visible_disagreements, visible_discussions
from strategise.audit.services import audit_record
from strategise.cases.models import Child
from strategise.cases.names import listed
from strategise.cases.selectors import children_named
from strategise.disagreements.holders import Holding, stage_holding
from strategise.disagreements.models import Disagreement, DisagreementStatus, Move
from strategise.disagreements.services import children_of, escalation_stages
from strategise.discussions.models import Discussion
from strategise.organisations.models import User


@dataclass(frozen=True)
class DisagreementDetail:
    disagreement: Disagreement
    moves: list[Move]
    stages: tuple[dict[str, str], ...]
    holders: list[User]
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
            visible_disagreements(user).select_related(
                "request",
                "request__ended_by__agency",
                "request__allocated_worker__agency",
                "request__raised_by__agency",
                "discussion__chair__agency",
                "raised_by__agency",
                "raised_by__team__manager",
            ),
            pk=pk,
        )
        detail = DisagreementDetail(
            disagreement=disagreement,
            moves=list(disagreement.moves.select_related("moved_by")),
            stages=escalation_stages(disagreement.request.profile),
            holders=list(disagreement.holders.select_related("agency")),
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
    each with its children named for those who may see them, and whether the user holds
    it (``held_by_user`` on the disagreement); audited."""
    holds = Disagreement.holders.through.objects.filter(
        disagreement_id=OuterRef("pk"), user_id=user.pk
    )
    found = (
        visible_disagreements(user).select_related("raised_by").annotate(held_by_user=Exists(holds))
    )
    if request_id is not None:
        found = found.filter(request_id=request_id)
    if open_only:
        found = found.filter(status=DisagreementStatus.OPEN)
    with transaction.atomic():
        disagreements: list[Disagreement] = list(found.order_by("held_since", "pk")[:200])
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


def escalation_preview(detail: DisagreementDetail) -> Holding | None:
    """Who would hold it at the next stage, as the procedure names them (``None`` at the
    last stage or once resolved); for a stage outside Strategise, the person is named when
    it is escalated."""
    following = detail.next_stage
    if following is None:
        return None
    return stage_holding(detail.disagreement, following)
