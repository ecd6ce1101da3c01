"""Reading a user's own notifications (never anyone else's)."""

from __future__ import annotations

from dataclasses import dataclass

from strategise.notifications.models import Notification
from strategise.organisations.models import User

PAGE_SIZE = 50


@dataclass(frozen=True)
class NotificationList:
    notifications: list[Notification]
    unread: int
    total: int


def notification_list(*, user: User, limit: int = PAGE_SIZE) -> NotificationList:
    """The user's newest notifications, with how many are unread and in all."""
    mine = Notification.objects.filter(user=user)
    return NotificationList(
        notifications=list(mine.order_by("-created_at", "-pk")[:limit]),
        unread=mine.filter(read_at__isnull=True).count(),
        total=mine.count(),
    )


def unread_count(*, user: User) -> int:
    """How many of the user's notifications are unread (for a badge in the navigation)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
