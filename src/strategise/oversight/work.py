"""Each user's work, named by the children it is about and by what the user must do.

My work lists what needs the user: requests to convene (social care), the discussions they
chair, take the minutes of or are invited to, the actions they own, and, for a team
manager, "no further action" decisions to confirm, and, for the exploitation lead, the open
patterns across cases to decide on. Every line names its children, but only
those the user may see (``strategise.access.visible_children``): anyone else reads a
neutral description. Each list is a fixed number of queries however long it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Q

from strategise.access import (
    invited,
    is_exploitation_lead,
    may_oversee,
    sees_whole_authority,
    visible_actions,
    visible_children,
    visible_discussions,
    visible_pattern_alerts,
    visible_requests,
)
from strategise.actions.models import ActionStatus
from strategise.audit.services import audit_record
from strategise.cases.models import Child
from strategise.cases.names import listed
from strategise.cases.selectors import children_named
from strategise.discussions.models import (
    ChildDecision,
    DiscussionStatus,
    Invitation,
    Outcome,
    Response,
)
from strategise.links import Target, TargetKind
from strategise.network.models import AlertStatus
from strategise.organisations.models import User
from strategise.requests.models import RequestStatus, StrategyRequest

ACTIVE = (DiscussionStatus.SCHEDULED, DiscussionStatus.STARTED)
OPEN_REQUESTS = (RequestStatus.AWAITING_CONVENING, RequestStatus.CONVENED)
# What a line says about children the user may not see (a disagreement's holder, say, or
# an action's owner who is not invited to its discussion).
NOT_SHOWN = "Children not shown: you are not invited to their discussion"


def children_in_words(children: list[Child]) -> str:
    """The children's names, or the neutral description when the user may see none."""
    return listed([child.full_name for child in children]) or NOT_SHOWN


@dataclass(frozen=True)
class WorkItem:
    """One line of a user's work: who it is about, what it is, what the user must do, by
    when, and whether it is overdue."""

    kind: str
    title: str
    children: list[Child]
    part: str
    due: datetime | None
    target: Target

    @property
    def about(self) -> str:
        return children_in_words(self.children)

    def overdue(self, now: datetime) -> bool:
        return self.due is not None and self.due < now


def _invited_part(invitation: Invitation | None) -> str:
    if invitation is None or invitation.response == Response.AWAITING:
        return "You are invited: reply to say whether you will attend"
    if invitation.response == Response.DECLINED:
        return "You are invited and have sent apologies"
    return "You are invited and have accepted"


def _discussion_part(user: User, discussion_chair: int, minute_taker: int | None) -> str | None:
    if discussion_chair == user.pk:
        return "You chair it"
    if minute_taker == user.pk:
        return "You take the minutes"
    return None


Line = tuple[str, str, int, frozenset[int] | None, str, datetime | None, Target]


def _requests_to_convene(user: User, *, raised_by_user: bool) -> list[Line]:
    """Social care's requests waiting for a discussion: the authority's (in My work), or
    only those the user raised or is the allocated social worker of, convened or not
    (their caseload)."""
    if not sees_whole_authority(user):
        return []
    requests = visible_requests(user)
    if raised_by_user:
        requests = requests.filter(
            Q(raised_by=user) | Q(allocated_worker=user), status__in=OPEN_REQUESTS
        )
    else:
        requests = requests.filter(status=RequestStatus.AWAITING_CONVENING)
    lines: list[Line] = []
    for request in requests:
        waiting = request.status == RequestStatus.AWAITING_CONVENING
        kind = "a complex" if request.discussion_type == "complex" else "a"
        lines.append(
            (
                "convene" if waiting else "request",
                "Convene a strategy discussion" if waiting else "Strategy discussion request",
                request.pk,
                None,
                f"Convene {kind} strategy discussion"
                if waiting
                else f"{_yours(user, request)}; its discussion is arranged",
                request.hold_by,
                Target(TargetKind.REQUEST, request.pk),
            )
        )
    return lines


def _yours(user: User, request: StrategyRequest) -> str:
    """How an open request is the user's: they raised it, or hold the child's case."""
    if request.raised_by_id == user.pk:
        return "You raised it"
    return "You are the allocated social worker"


def _lines(user: User, *, raised_by_user: bool = False) -> list[Line]:
    """What needs the user, as (kind, title, request, its children named or None for all,
    what the user must do, due, target)."""
    pending = _requests_to_convene(user, raised_by_user=raised_by_user)
    discussions = list(
        visible_discussions(user)
        .filter(
            Q(chair=user) | invited(user, "invitations") | Q(minute_taker=user), status__in=ACTIVE
        )
        .distinct()
    )
    invitations = {
        invitation.discussion_id: invitation
        for invitation in Invitation.objects.filter(
            invited(user), discussion__in=[d.pk for d in discussions]
        )
    }
    for discussion in discussions:
        part = _discussion_part(user, discussion.chair_id, discussion.minute_taker_id)
        started = discussion.status == DiscussionStatus.STARTED
        pending.append(
            (
                "discussion",
                "Strategy discussion (started)" if started else "Strategy discussion",
                discussion.request_id,
                None,
                part or _invited_part(invitations.get(discussion.pk)),
                discussion.scheduled_for,
                Target(TargetKind.DISCUSSION, discussion.pk),
            )
        )
    for action in (
        visible_actions(user)
        .filter(owner=user, status=ActionStatus.OPEN)
        .select_related("discussion")
        .prefetch_related("children")
    ):
        chosen = frozenset(child.pk for child in action.children.all())
        pending.append(
            (
                "action",
                action.description,
                action.discussion.request_id,
                chosen or None,
                "You own this action",
                action.due_at,
                Target(TargetKind.DISCUSSION, action.discussion_id),
            )
        )
    if may_oversee(user):
        for decision in _decisions_to_confirm(user):
            pending.append(
                (
                    "confirm-nfa",
                    "Confirm no further action",
                    decision.discussion.request_id,
                    frozenset({decision.child_id}),
                    "Confirm the decision of no further action, with your reasons",
                    None,
                    Target(TargetKind.DISCUSSION, decision.discussion_id),
                )
            )
    return pending


def _named_items(user: User, pending: list[Line]) -> list[WorkItem]:
    """The lines as work items, each naming the children the user may see (one query)."""
    named = children_named(user=user, request_ids={line[2] for line in pending})
    return [
        WorkItem(
            kind=kind,
            title=title,
            children=[
                child for child in named.get(request_id, []) if chosen is None or child.pk in chosen
            ],
            part=part,
            due=due,
            target=target,
        )
        for kind, title, request_id, chosen, part, due, target in pending
    ]


def _patterns_to_decide(user: User) -> list[WorkItem]:
    """For the authority's exploitation lead (or its exploitation team), each open pattern
    across cases: raise a complex request from it, or dismiss it as a false match."""
    if not is_exploitation_lead(user):
        return []
    alerts = (
        visible_pattern_alerts(user)
        .filter(status=AlertStatus.OPEN)
        .prefetch_related("children")
        .order_by("raised_at", "pk")
    )
    return [
        WorkItem(
            kind="pattern",
            title=f"Pattern across cases: {alert.label}",
            children=sorted(alert.children.all(), key=lambda child: child.full_name),
            part="Raise a complex strategy discussion request from it, or dismiss it with "
            "your reason",
            due=None,
            target=Target(TargetKind.PATTERN_ALERT, alert.pk),
        )
        for alert in alerts
    ]


def _by_deadline(items: list[WorkItem], now: datetime) -> list[WorkItem]:
    far_future = datetime.max.replace(tzinfo=now.tzinfo)
    return sorted(items, key=lambda item: (not item.overdue(now), item.due or far_future))


def my_work(*, user: User, now: datetime) -> list[WorkItem]:
    """What needs the user, overdue first, then by deadline; audited with the children
    it names."""
    items = _by_deadline(_named_items(user, _lines(user)) + _patterns_to_decide(user), now)
    with transaction.atomic():
        audit_record(
            user=user,
            action="list-work",
            object_type="work",
            children=sorted({child.pk for item in items for child in item.children}),
            detail={"items": len(items)},
        )
    return items


def _decisions_to_confirm(user: User) -> list[ChildDecision]:
    """ "No further action" decisions not yet confirmed, in discussions still being recorded,
    that the manager chairs or whose request their own team raised (Sandwell §10.0 asks a
    team manager to confirm them)."""
    mine = Q(discussion__chair=user)
    if user.team_id is not None:
        mine |= Q(discussion__request__raised_by__team_id=user.team_id)
    return list(
        ChildDecision.objects.filter(
            mine,
            discussion__in=visible_discussions(user),
            discussion__status=DiscussionStatus.STARTED,
            outcome=Outcome.NO_FURTHER_ACTION,
            nfa_confirmed_by__isnull=True,
        )
        .select_related("discussion")
        .order_by("discussion__scheduled_for", "pk")
    )


@dataclass(frozen=True)
class CaseloadChild:
    """A child the user works with: whether they are the child's allocated social worker,
    and the open work about the child that is the user's."""

    child: Child
    work: list[WorkItem]
    allocated: bool = False


def my_children(*, user: User, now: datetime) -> list[CaseloadChild]:
    """The children allocated to the user, and those of the user's open work: requests
    they raised or are the allocated social worker of that are still open, discussions
    they chair, minute or are invited to, actions they own; by name."""
    items = _by_deadline(_named_items(user, _lines(user, raised_by_user=True)), now)
    by_child: dict[int, CaseloadChild] = {
        child.pk: CaseloadChild(child=child, work=[], allocated=True)
        for child in visible_children(user).filter(allocated_worker=user)
    }
    for item in items:
        for child in item.children:
            by_child.setdefault(child.pk, CaseloadChild(child=child, work=[])).work.append(item)
    found = sorted(
        by_child.values(),
        key=lambda entry: (
            entry.child.last_name.lower(),
            entry.child.first_name.lower(),
            entry.child.pk,
        ),
    )
    with transaction.atomic():
        audit_record(
            user=user,
            action="list-caseload",
            object_type="cases.Child",
            children=[entry.child.pk for entry in found],
        )
    return found


@dataclass(frozen=True)
class TeamRequest:
    pk: int
    children: list[Child]
    status: str
    raised_by: str
    hold_by: datetime | None

    @property
    def about(self) -> str:
        return children_in_words(self.children)

    def overdue(self, now: datetime) -> bool:
        return self.hold_by is not None and self.hold_by < now


@dataclass(frozen=True)
class TeamDiscussion:
    pk: int
    children: list[Child]
    status: str
    chair: str
    scheduled_for: datetime

    @property
    def about(self) -> str:
        return children_in_words(self.children)


@dataclass(frozen=True)
class TeamWork:
    """A team's open requests and its discussions still to be held or concluded."""

    team: str | None
    requests: list[TeamRequest]
    discussions: list[TeamDiscussion]


TEAM_LIMIT = 200


def team_work(*, user: User) -> TeamWork:
    """The open requests raised by the user's team, and the active discussions its members
    chair, minute or are invited to, of those the user may see; audited."""
    if user.team_id is None:
        return TeamWork(team=None, requests=[], discussions=[])
    team = user.team_id
    requests = list(
        visible_requests(user)
        .filter(raised_by__team_id=team, status__in=OPEN_REQUESTS)
        .select_related("raised_by")
        .order_by("hold_by", "pk")[:TEAM_LIMIT]
    )
    discussions = list(
        visible_discussions(user)
        .filter(
            Q(request__raised_by__team_id=team)
            | Q(chair__team_id=team)
            | Q(minute_taker__team_id=team)
            | Q(invitations__user__team_id=team),
            status__in=ACTIVE,
        )
        .distinct()
        .select_related("chair")
        .order_by("scheduled_for", "pk")[:TEAM_LIMIT]
    )
    named = children_named(
        user=user,
        request_ids={r.pk for r in requests} | {d.request_id for d in discussions},
    )
    work = TeamWork(
        team=user.team.name if user.team else None,
        requests=[
            TeamRequest(
                pk=request.pk,
                children=named.get(request.pk, []),
                status=request.get_status_display(),
                raised_by=str(request.raised_by),
                hold_by=request.hold_by,
            )
            for request in requests
        ],
        discussions=[
            TeamDiscussion(
                pk=discussion.pk,
                children=named.get(discussion.request_id, []),
                status=discussion.get_status_display(),
                chair=str(discussion.chair),
                scheduled_for=discussion.scheduled_for,
            )
            for discussion in discussions
        ],
    )
    rows: list[TeamRequest | TeamDiscussion] = [*work.requests, *work.discussions]
    with transaction.atomic():
        audit_record(
            user=user,
            action="list-team-work",
            object_type="work",
            children=sorted({c.pk for row in rows for c in row.children}),
            detail={"requests": len(work.requests), "discussions": len(work.discussions)},
        )
    return work
