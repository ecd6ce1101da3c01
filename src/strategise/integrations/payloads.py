"""What each event tells an authority's case system: ids, references and states only.

A case system already holds the child's record; it needs to know which of its records an
event is about and what happened, not a second copy of the case. So a payload carries
Strategise's numbers, each child's local case reference (the case system's own id, the
census's ``LAchildID``), codes, states and times, and never a name, date of birth, address,
NHS number, the concerns' narrative, a rationale, the minutes' text or any staff member's
name (docs/decisions.md, "Webhooks"). Whoever needs more reads it in Strategise, where it
is access-checked and audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from strategise.clocks.models import Clock
from strategise.discussions.models import ChildDecision, Discussion
from strategise.integrations.models import Event
from strategise.minutes.models import Minutes
from strategise.requests.models import RequestChild, StrategyRequest


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _children(request_id: int) -> list[dict[str, Any]]:
    return [
        {"id": child_id, "local_reference": reference}
        for child_id, reference in RequestChild.objects.filter(request_id=request_id)
        .order_by("child_id")
        .values_list("child_id", "child__local_reference")
    ]


def _request(request: StrategyRequest) -> dict[str, Any]:
    return {
        "request": {
            "id": request.pk,
            "status": request.status,
            "discussion_type": request.discussion_type,
            "hold_by": _when(request.hold_by),
            "identified_at": _when(request.identified_at),
            "profile": request.profile,
        },
        "children": _children(request.pk),
    }


def _discussion(discussion: Discussion) -> dict[str, Any]:
    return {
        "discussion": {
            "id": discussion.pk,
            "request_id": discussion.request_id,
            "status": discussion.status,
            "format": discussion.format,
            "scheduled_for": _when(discussion.scheduled_for),
            "held_at": _when(discussion.held_at),
            "concluded_at": _when(discussion.concluded_at),
            "previous_id": discussion.previous_id,
        },
        "children": _children(discussion.request_id),
    }


def _concluded(discussion: Discussion) -> dict[str, Any]:
    data = _discussion(discussion)
    data["decisions"] = [
        {
            "child_id": decision.child_id,
            "local_reference": decision.child.local_reference,
            "outcome": decision.outcome,
            "also": list(decision.also),
        }
        for decision in ChildDecision.objects.filter(discussion=discussion)
        .select_related("child")
        .order_by("child_id")
    ]
    data["clocks"] = [
        {
            "id": clock.pk,
            "code": clock.code,
            "child_id": clock.child_id,
            "due_at": _when(clock.due_at),
        }
        for clock in Clock.objects.filter(discussion=discussion).order_by("due_at", "pk")
    ]
    return data


def _minutes(minutes: Minutes) -> dict[str, Any]:
    return {
        "minutes": {
            "id": minutes.pk,
            "discussion_id": minutes.discussion_id,
            "number": minutes.number,
            "status": minutes.status,
            "approved_at": _when(minutes.approved_at),
        },
        "children": _children(minutes.discussion.request_id),
    }


def _clock(clock: Clock) -> dict[str, Any]:
    return {
        "clock": {
            "id": clock.pk,
            "code": clock.code,
            "request_id": clock.request_id,
            "discussion_id": clock.discussion_id,
            "child_id": clock.child_id,
            "state": clock.state,
            "started_at": _when(clock.started_at),
            "due_at": _when(clock.due_at),
            "breached_at": _when(clock.breached_at),
        },
        "children": _children(clock.request_id),
    }


BUILDERS: dict[str, Any] = {
    Event.REQUEST_CREATED: _request,
    Event.DISCUSSION_CONVENED: _discussion,
    Event.DISCUSSION_CONCLUDED: _concluded,
    Event.MINUTES_APPROVED: _minutes,
    Event.CLOCK_BREACHED: _clock,
}


def authority_of(subject: StrategyRequest | Discussion | Minutes | Clock) -> int:
    """The authority whose endpoints hear of an event about ``subject``."""
    if isinstance(subject, Minutes):
        return subject.discussion.local_authority_id
    return subject.local_authority_id


def payload(
    *, event: str, event_id: str, authority: str, subject: Any, now: datetime
) -> dict[str, Any]:
    """The body sent, in Standard Webhooks' shape: the type, when, and the data."""
    return {
        "id": event_id,
        "type": event,
        "timestamp": now.isoformat(),
        "authority": authority,
        "data": BUILDERS[event](subject),
    }
