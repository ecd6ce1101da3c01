"""The notifications page: the user's own notifications, newest first; mark them read."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from strategise.notifications.selectors import notification_list
from strategise.notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
)
from strategise.web.links import url_for
from strategise.web.users import current_user


@require_GET
def notification_page(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first, unread ones marked."""
    user = current_user(request)
    return render(
        request,
        "web/notifications/list.html",
        {"listing": notification_list(user=user)},
    )


@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read, then go where it points (or back to the list)."""
    user = current_user(request)
    notification = notification_mark_read(user=user, pk=pk, now=timezone.now())
    target = notification.target
    if request.POST.get("open") and target is not None:
        return redirect(url_for(target))
    return redirect("notifications:list")


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    """Mark every unread notification read."""
    notifications_mark_all_read(user=current_user(request), now=timezone.now())
    return redirect("notifications:list")
