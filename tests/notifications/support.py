"""Where a notification leads, as the pages link it."""

from __future__ import annotations

from strategise.notifications.models import Notification
from strategise.web.links import url_for


def link(notification: Notification) -> str:
    """The path a notification opens, or blank if it points at nothing."""
    target = notification.target
    return url_for(target) if target is not None else ""
