"""The oversight page: one selector, rendered; filters in the query string (GET)."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from strategise.access import may_oversee
from strategise.organisations.models import User
from strategise.oversight.forms import OversightFilterForm
from strategise.oversight.selectors import oversight_choices, oversight_dashboard


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """What is due, overdue or in dispute across the manager's authority."""
    user = cast(User, request.user)
    if not may_oversee(user):
        return render(request, "oversight/not_for_you.html", status=403)
    form = OversightFilterForm(request.GET, choices=oversight_choices(user=user))
    valid = form.is_valid()
    now = timezone.now()
    oversight = oversight_dashboard(user=user, now=now, filters=form.filters() if valid else None)
    return render(
        request,
        "oversight/dashboard.html",
        {
            "form": form,
            "error_summary": [] if valid else form.error_summary(),
            "oversight": oversight,
            "now": now,
        },
    )
