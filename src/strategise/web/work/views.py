"""My work: each user's landing page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from strategise.access import can_raise_requests
from strategise.discussions.selectors import my_work
from strategise.web.users import current_user


@require_GET
def my_work_page(request: HttpRequest) -> HttpResponse:
    """What needs the user: overdue first, then by deadline."""
    user = current_user(request)
    now = timezone.now()
    return render(
        request,
        "web/work/my_work.html",
        {
            "items": my_work(user=user, now=now),
            "now": now,
            "user": user,
            "may_raise": can_raise_requests(user),
        },
    )
