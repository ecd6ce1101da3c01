"""Moving a convened discussion to another time, or cancelling it, with the reason.

Either tells every invitee with an email address, after the transaction commits: a
rescheduled discussion sends the same calendar event (same ``UID``) with the next
``SEQUENCE``, so calendars move it; a cancelled one sends ``METHOD:CANCEL``, so they
remove it (``discussions.invitations``). A cancelled discussion's request goes back to
waiting to be convened (or to held, for a reconvened discussion).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from strategise.access import may_convene
from strategise.audit.services import audit_record
from strategise.discussions.invitations import cancellation_email, rescheduled_email
from strategise.discussions.models import Discussion, DiscussionStatus, Invitation
from strategise.discussions.recording import discussion_children
from strategise.discussions.services import FUTURE_TOLERANCE
from strategise.organisations.models import User
from strategise.policy.wording import format_when
from strategise.problems import Problem, Problems
from strategise.requests.models import RequestStatus, StrategyRequest


def _changeable(user: User, discussion: Discussion, verb: str) -> None:
    if not may_convene(user, discussion.request):
        raise Problem(f"Only this authority's children's social care can {verb} the discussion")
    if discussion.status != DiscussionStatus.SCHEDULED:
        raise Problem(
            f"Only a discussion that has not started can be {verb}d: this one is "
            f"{discussion.get_status_display().lower()}"
        )


def _locked(discussion: Discussion, verb: str) -> Discussion:
    locked = Discussion.objects.select_for_update().get(pk=discussion.pk)
    if locked.version != discussion.version or locked.status != DiscussionStatus.SCHEDULED:
        raise Problem(f"Someone else changed this discussion while you were about to {verb} it")
    return locked


def _send(messages: Sequence[EmailMessage], mailer: BaseEmailBackend | None) -> None:
    if messages:
        transaction.on_commit(
            lambda: (mailers.default if mailer is None else mailer).send_messages(messages)
        )


def discussion_reschedule(
    *,
    user: User,
    discussion: Discussion,
    scheduled_for: datetime,
    location: str,
    reason: str,
    respond_url: Callable[[Invitation], str],
    now: datetime,
    mailer: BaseEmailBackend | None = None,
) -> Discussion:
    """Move a discussion that has not started to a new time (and place), with the reason;
    each invitee is sent the calendar update and asked to reply again."""
    _changeable(user, discussion, "reschedule")
    problems = Problems()
    if scheduled_for < now - FUTURE_TOLERANCE:
        problems.add("The new date and time must be in the future", "scheduled_date")
    elif scheduled_for == discussion.scheduled_for and location == discussion.location:
        problems.add(
            "Choose a different date, time or place: this is when and where it is already",
            "scheduled_date",
        )
    if not reason.strip():
        problems.add("Give the reason the discussion is being moved", "reason")
    problems.raise_any()
    was = discussion.scheduled_for
    with transaction.atomic(durable=True):
        locked = _locked(discussion, "reschedule")
        locked.scheduled_for = scheduled_for
        locked.location = location.strip()
        locked.reschedule_reason = reason.strip()
        locked.calendar_sequence += 1
        locked.version += 1
        locked.save(
            update_fields=[
                "scheduled_for",
                "location",
                "reschedule_reason",
                "calendar_sequence",
                "version",
            ]
        )
        invitations = list(locked.invitations.select_related("discussion__chair__agency"))
        for invitation in invitations:
            invitation.discussion = locked
        # Everyone is asked again: a reply to the old time says nothing about the new one.
        locked.invitations.update(response="awaiting")
        audit_record(
            user=user,
            action="reschedule",
            obj=locked,
            children=discussion_children(locked),
            detail={
                "from": was.isoformat(),
                "to": scheduled_for.isoformat(),
                "reason": locked.reschedule_reason,
            },
        )
        _send(
            [
                rescheduled_email(invitation, respond_url(invitation), was=was)
                for invitation in invitations
                if invitation.email and not locked.recorded_afterwards
            ],
            mailer,
        )
    return locked


def discussion_cancel(
    *,
    user: User,
    discussion: Discussion,
    reason: str,
    now: datetime,
    mailer: BaseEmailBackend | None = None,
) -> Discussion:
    """Cancel a discussion that has not started, with the reason; each invitee is sent the
    calendar cancellation. Its request can then be convened again (or closed)."""
    _changeable(user, discussion, "cancel")
    if not reason.strip():
        raise Problem("Give the reason the discussion is being cancelled", "reason")
    with transaction.atomic(durable=True):
        locked = _locked(discussion, "cancel")
        locked.status = DiscussionStatus.CANCELLED
        locked.cancelled_at = now
        locked.cancelled_by = user
        locked.cancel_reason = reason.strip()
        locked.calendar_sequence += 1
        locked.version += 1
        locked.save(
            update_fields=[
                "status",
                "cancelled_at",
                "cancelled_by",
                "cancel_reason",
                "calendar_sequence",
                "version",
            ]
        )
        back_to = (
            RequestStatus.AWAITING_CONVENING if locked.previous_id is None else RequestStatus.HELD
        )
        request = StrategyRequest.objects.select_for_update().get(pk=locked.request_id)
        StrategyRequest.objects.filter(pk=request.pk).update(
            status=back_to, version=request.version + 1
        )
        invitations = list(locked.invitations.select_related("discussion__chair__agency"))
        for invitation in invitations:
            invitation.discussion = locked
        audit_record(
            user=user,
            action="cancel",
            obj=locked,
            children=discussion_children(locked),
            detail={"reason": locked.cancel_reason, "was": format_when(locked.scheduled_for)},
        )
        _send(
            [
                cancellation_email(invitation)
                for invitation in invitations
                if invitation.email and not locked.recorded_afterwards
            ],
            mailer,
        )
    return locked
