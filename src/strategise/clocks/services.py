"""Starting and meeting statutory clocks. The policy engine computes every due time."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from strategise.audit.services import audit_record
from strategise.clocks.models import Clock, ClockState
from strategise.discussions.models import Discussion
from strategise.organisations.models import User
from strategise.policy import clocks as policy_clocks


def clocks_start(
    *, discussion: Discussion, section_47: bool, responsible: User | None
) -> list[Clock]:
    """Create the clocks the procedure starts when a discussion is held (inside a transaction)."""
    if discussion.held_at is None:
        raise ValueError("a discussion's clocks start when it is held")
    request = discussion.request
    answer = policy_clocks(
        profile=request.profile,
        identified_at=request.identified_at,
        held_at=discussion.held_at,
        section_47=section_47,
        discussion_type=request.discussion_type,
    )
    created = [
        Clock.objects.create(
            local_authority_id=discussion.local_authority_id,
            discussion=discussion,
            code=clock.code,
            due_at=clock.due,
            source=clock.source,
            rule=clock.rule,
            reason=clock.reason,
            responsible=responsible,
        )
        for clock in answer.clocks
    ]
    return created


def clock_meet(*, discussion: Discussion, code: str, at: datetime, user: User) -> Clock | None:
    """Mark a clock met (on time or late); a clock already met or stopped is left alone."""
    with transaction.atomic():
        clock = (
            Clock.objects.select_for_update()
            .filter(discussion=discussion, code=code, state=ClockState.OPEN)
            .first()
        )
        if clock is None:
            return None
        clock.state = ClockState.MET if at <= clock.due_at else ClockState.MET_LATE
        clock.met_at = at
        clock.save(update_fields=["state", "met_at"])
        audit_record(
            user=user,
            action="clock-met",
            obj=clock,
            children=list(discussion.request.children.values_list("pk", flat=True)),
            detail={"code": code, "state": clock.state},
        )
    return clock
