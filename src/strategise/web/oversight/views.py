"""The oversight page: one selector, rendered; filters in the query string (GET).

Only managers oversee; anyone else is told there is no such page, as for any page
outside what they may see.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from strategise.access import may_oversee
from strategise.oversight.selectors import oversight_choices, oversight_dashboard
from strategise.web.oversight.forms import OversightFilterForm
from strategise.web.users import current_user


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """What is due, overdue or in dispute across the manager's authority."""
    user = current_user(request)
    if not may_oversee(user):
        raise Http404("No such page")
    form = OversightFilterForm(request.GET, choices=oversight_choices(user=user))
    valid = form.is_valid()
    now = timezone.now()
    oversight = oversight_dashboard(user=user, now=now, filters=form.filters() if valid else None)
    return render(
        request,
        "web/oversight/dashboard.html",
        {
            "form": form,
            "error_summary": [] if valid else form.error_summary(),
            "oversight": oversight,
            "now": now,
        },
    )
