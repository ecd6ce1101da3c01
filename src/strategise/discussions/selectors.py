"""Reading discussions and each user's work, scoped to the user and audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404

from strategise.actions.models import Action, ActionStatus
from strategise.audit.services import audit_record
from strategise.cases.models import Child
from strategise.discussions.models import (
    Attendance,
    Discussion,
    DiscussionStatus,
    Invitation,
    Response,
)
from strategise.organisations.access import (
    sees_whole_authority,
    visible_discussions,
    visible_requests,
)
from strategise.organisations.models import User
from strategise.requests.models import RequestStatus, StrategyRequest


@dataclass(frozen=True)
class Quorum:
    """Whether the required agencies are (or, before it starts, will be) there."""

    quorate: bool
    missing: list[Invitation]


def discussion_quorum(discussion: Discussion, invitations: list[Invitation]) -> Quorum:
    """Quorate when every required invitee attended or, before it starts, has accepted."""
    started = discussion.status != DiscussionStatus.SCHEDULED

    def present(invitation: Invitation) -> bool:
        if invitation.attendance:
            return invitation.attendance == Attendance.ATTENDED
        return not started and invitation.response == Response.ACCEPTED

    missing = [i for i in invitations if i.required and not present(i)]
    return Quorum(quorate=not missing, missing=missing)


@dataclass(frozen=True)
class DiscussionDetail:
    discussion: Discussion
    request: StrategyRequest
    children: list[Child]
    invitations: list[Invitation]
    actions: list[Action]
    quorum: Quorum
    my_invitation: Invitation | None


def discussion_get(*, user: User, pk: int) -> DiscussionDetail:
    """One discussion the user may see (404 otherwise), with the read audited."""
    with transaction.atomic():
        discussion = get_object_or_404(
            visible_discussions(user).select_related(
                "request", "chair", "minute_taker", "local_authority"
            ),
            pk=pk,
        )
        invitations = list(discussion.invitations.select_related("user", "agency"))
        children = list(discussion.request.children.order_by("pk"))
        detail = DiscussionDetail(
            discussion=discussion,
            request=discussion.request,
            children=children,
            invitations=invitations,
            actions=list(discussion.actions.select_related("owner")),
            quorum=discussion_quorum(discussion, invitations),
            my_invitation=next((i for i in invitations if i.user_id == user.pk), None),
        )
        audit_record(user=user, action="view", obj=discussion, children=[c.pk for c in children])
    return detail


def invitation_by_token(token: str) -> Invitation:
    """The invitation behind a private reply link (404 if there is none), read audited."""
    with transaction.atomic():
        invitation = get_object_or_404(
            Invitation.objects.select_related("discussion", "discussion__chair"), token=token
        )
        audit_record(
            user=None,
            action="view-by-link",
            obj=invitation,
            children=list(invitation.discussion.request.children.values_list("pk", flat=True)),
        )
    return invitation


@dataclass(frozen=True)
class WorkItem:
    """One line of a user's work: what, by when, and whether it is overdue."""

    kind: str
    title: str
    due: datetime | None
    url_name: str
    pk: int
    detail: str

    def overdue(self, now: datetime) -> bool:
        return self.due is not None and self.due < now


def my_work(*, user: User, now: datetime) -> list[WorkItem]:
    """What needs the user, overdue first, then by deadline."""
    items: list[WorkItem] = []
    if sees_whole_authority(user):
        for request in visible_requests(user).filter(status=RequestStatus.AWAITING_CONVENING):
            items.append(
                WorkItem(
                    "convene",
                    f"Convene a strategy discussion for request {request.pk}",
                    request.hold_by,
                    "web:request",
                    request.pk,
                    "Complex" if request.discussion_type == "complex" else "Standard",
                )
            )
    active = (DiscussionStatus.SCHEDULED, DiscussionStatus.STARTED)
    for discussion in (
        visible_discussions(user)
        .filter(Q(chair=user) | Q(invitations__user=user) | Q(minute_taker=user), status__in=active)
        .distinct()
        .select_related("request")
    ):
        role = (
            "You chair"
            if discussion.chair_id == user.pk
            else "You take the minutes"
            if discussion.minute_taker_id == user.pk
            else "You are invited"
        )
        items.append(
            WorkItem(
                "discussion",
                f"Strategy discussion {discussion.pk}",
                discussion.scheduled_for,
                "web:discussion",
                discussion.pk,
                role,
            )
        )
    for action in Action.objects.filter(owner=user, status=ActionStatus.OPEN).select_related(
        "discussion"
    ):
        items.append(
            WorkItem(
                "action",
                action.description,
                action.due_at,
                "web:discussion",
                action.discussion_id,
                "Action",
            )
        )
    far_future = datetime.max.replace(tzinfo=now.tzinfo)
    items.sort(key=lambda item: (not item.overdue(now), item.due or far_future))
    with transaction.atomic():
        audit_record(
            user=user, action="list-work", object_type="work", detail={"items": len(items)}
        )
    return items
