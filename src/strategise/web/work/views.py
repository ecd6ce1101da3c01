"""My work: each user's landing page, and their caseload (their children, their team's)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from strategise.access import can_raise_requests, works_with_cases
from strategise.oversight.work import my_children, my_work, team_work
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
            "may_see_caseload": works_with_cases(user),
        },
    )


@require_GET
def my_children_page(request: HttpRequest) -> HttpResponse:
    """The children of the user's open work, each with what is open about them."""
    user = current_user(request)
    if not works_with_cases(user):
        raise Http404("No such page")
    now = timezone.now()
    return render(
        request,
        "web/work/my_children.html",
        {"caseload": my_children(user=user, now=now), "now": now, "user": user},
    )


@require_GET
def team_work_page(request: HttpRequest) -> HttpResponse:
    """The open requests and discussions of the user's team."""
    user = current_user(request)
    if not works_with_cases(user):
        raise Http404("No such page")
    now = timezone.now()
    return render(
        request,
        "web/work/team_work.html",
        {"work": team_work(user=user), "now": now, "user": user},
    )
