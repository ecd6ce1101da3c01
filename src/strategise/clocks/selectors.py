"""Reading a discussion's statutory clocks, scoped to the user and audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from strategise.access import may_mark_met, may_stop_clock, visible_clocks, visible_discussions
from strategise.audit.listing import Listed, audited_page
from strategise.audit.services import audit_record
from strategise.clocks.models import CLOCK_LABELS, Clock
from strategise.clocks.services import RECORDED_BY_HAND
from strategise.discussions.models import Discussion
from strategise.organisations.models import User
from strategise.requests.models import RequestChild
from strategise.requests.selectors import children_of_requests


@dataclass(frozen=True)
class ClockLine:
    """One clock as the user sees it: what it is, and what they may do with it while it
    is live (recording it met, for a clock whose event happens outside Strategise; and
    stopping it)."""

    clock: Clock
    may_mark_met: bool
    may_stop: bool

    @property
    def label(self) -> str:
        return CLOCK_LABELS.get(self.clock.code, self.clock.code)

    @property
    def offers_met(self) -> bool:
        return self.clock.live and self.may_mark_met

    @property
    def offers_stop(self) -> bool:
        return self.clock.live and self.may_stop


@dataclass(frozen=True)
class DiscussionClocks:
    discussion: Discussion
    # The discussion's own clocks, then (for the first discussion of a request) the
    # request's clock for holding it.
    clocks: list[ClockLine]
    request_clocks: list[ClockLine]


def _line(user: User, clock: Clock) -> ClockLine:
    return ClockLine(
        clock=clock,
        may_mark_met=clock.code in RECORDED_BY_HAND and may_mark_met(user, clock),
        may_stop=may_stop_clock(user, clock),
    )


def _clocks_of(user: User, discussion: Discussion) -> QuerySet[Clock]:
    """The discussion's clocks and, if it is the first of its request, the request's own."""
    mine = Q(discussion=discussion)
    if discussion.previous_id is None:
        mine |= Q(request_id=discussion.request_id, discussion__isnull=True)
    return visible_clocks(user).filter(mine).select_related("responsible", "child")


def _children(discussion: Discussion) -> list[int]:
    return list(
        RequestChild.objects.filter(request_id=discussion.request_id).values_list(
            "child_id", flat=True
        )
    )


def discussion_clocks(*, user: User, pk: int) -> DiscussionClocks:
    """The clocks of a discussion the user may see (404 otherwise), earliest due first."""
    with transaction.atomic():
        discussion = get_object_or_404(visible_discussions(user).select_related("request"), pk=pk)
        lines = [_line(user, c) for c in _clocks_of(user, discussion).order_by("due_at", "pk")]
        audit_record(
            user=user,
            action="view-clocks",
            obj=discussion,
            children=_children(discussion),
            detail={"clocks": [line.clock.pk for line in lines]},
        )
    return DiscussionClocks(
        discussion=discussion,
        clocks=[line for line in lines if line.clock.discussion_id is not None],
        request_clocks=[line for line in lines if line.clock.discussion_id is None],
    )


@dataclass(frozen=True)
class ClockDetail:
    discussion: Discussion
    line: ClockLine


def discussion_clock(*, user: User, pk: int, clock_pk: int) -> ClockDetail:
    """One clock of a discussion the user may see (404 if either is out of their scope, or
    the clock is not this discussion's); audited."""
    with transaction.atomic():
        discussion = get_object_or_404(visible_discussions(user).select_related("request"), pk=pk)
        clock = _clocks_of(user, discussion).filter(pk=clock_pk).first()
        if clock is None:
            raise Http404("No such clock")
        audit_record(user=user, action="view", obj=clock, children=_children(discussion))
    return ClockDetail(discussion=discussion, line=_line(user, clock))


def clock_list(
    *, user: User, before: int | None = None, limit: int = 25, state: str = ""
) -> Listed[Clock]:
    """A page of the statutory clocks the user may see, newest first (in ``state``, if given)."""
    clocks = visible_clocks(user)
    if state:
        clocks = clocks.filter(state=state)

    return audited_page(
        user=user,
        records=clocks,
        before=before,
        limit=limit,
        children_of=lambda listed: children_of_requests(c.request_id for c in listed),
        detail={"state": state} if state else None,
    )
