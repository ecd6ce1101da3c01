"""Telling people things: once each, in Strategise, and by email after the change commits."""

from __future__ import annotations

from datetime import datetime

from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.shortcuts import get_object_or_404

from strategise.actions.models import Action
from strategise.discussions.models import Invitation
from strategise.links import Target, TargetKind
from strategise.notifications.models import Kind, Notification
from strategise.notifications.tasks import notification_email_deliver, notification_email_send
from strategise.organisations.models import User
from strategise.policy.citations import cite
from strategise.policy.wording import format_when


def notify(
    *,
    user: User,
    kind: str,
    text: str,
    target: Target | None,
    dedupe_key: str,
    now: datetime,
    email: bool = True,
    mailer: BaseEmailBackend | None = None,
) -> Notification | None:
    """Tell ``user`` something, once: a second call with the same key changes nothing.

    Returns the new notification, or ``None`` if it was already sent (or the user cannot
    sign in). Its email is enqueued as a background task when the transaction commits;
    given a ``mailer``, it goes through that mailer instead, as the transaction commits.
    """
    if not user.is_active:
        return None
    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            dedupe_key=dedupe_key,
            defaults={
                "user": user,
                "kind": kind,
                "text": text,
                "target_kind": target.kind if target else "",
                "target_key": target.key if target else None,
                "created_at": now,
            },
        )
        if created and email and user.email:
            pk = notification.pk
            if mailer is None:
                transaction.on_commit(lambda: notification_email_send.enqueue(pk))
            else:
                transaction.on_commit(lambda: notification_email_deliver(pk, mailer=mailer))
    return notification if created else None


def escalation_action_notify(
    *, action: Action, now: datetime, mailer: BaseEmailBackend | None = None
) -> Notification | None:
    """Tell an escalation action's owner it is theirs: the chair escalates a required
    agency's non-attendance (000_394093cbef3e5ee1.txt §5.1)."""
    if action.owner is None:
        return None
    return notify(
        user=action.owner,
        kind=Kind.ESCALATION,
        # Emailed, so it says what needs doing and where, never the action's own words.
        text=(
            f"Strategy discussion {action.discussion_id}: you have an action to do by "
            f"{format_when(action.due_at)} ({cite(action.source)}). Open the discussion to see it."
        ),
        target=Target(TargetKind.DISCUSSION, action.discussion_id),
        dedupe_key=f"action:{action.pk}:owner:{action.owner_id}",
        now=now,
        mailer=mailer,
    )


def invitee_news_notify(
    *,
    invitation: Invitation,
    news: str,
    key: str,
    now: datetime,
    mailer: BaseEmailBackend | None = None,
) -> Notification | None:
    """Tell the discussion's chair what an invitee did before it (named a deputy, sent or
    replaced a written report), once per ``key``. Emailed, so it names the agency and the
    discussion's number, never the child or what the report says."""
    discussion = invitation.discussion
    return notify(
        user=discussion.chair,
        kind=Kind.INVITEE,
        text=f"Strategy discussion {discussion.pk}: {news}. Open the discussion to see it.",
        target=Target(TargetKind.DISCUSSION, discussion.pk),
        dedupe_key=f"invitation:{invitation.pk}:{key}:chair:{discussion.chair_id}",
        now=now,
        mailer=mailer,
    )


def notification_mark_read(*, user: User, pk: int, now: datetime) -> Notification:
    """Mark one of the user's own notifications read (404 for anyone else's)."""
    with transaction.atomic(durable=True):
        notification = get_object_or_404(
            Notification.objects.select_for_update().filter(user=user), pk=pk
        )
        if notification.read_at is None:
            notification.read_at = now
            notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: User, now: datetime) -> int:
    """Mark every unread notification of the user read; how many there were."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=now)
