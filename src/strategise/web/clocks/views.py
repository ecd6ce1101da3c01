"""A discussion's statutory clocks: what is due by when, and what has been met or stopped.

Views parse the form, call one service or selector, and render. Anyone who may open the
discussion sees its clocks; the person responsible for a clock, or the authority's
children's social care, records one met whose event happens outside Strategise (the
child seen, the conference held); a team manager or above stops one with a reason.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from strategise.clocks.models import ClockState
from strategise.clocks.selectors import discussion_clock, discussion_clocks
from strategise.clocks.services import clock_mark_met, clock_stop
from strategise.problems import Problem
from strategise.web.account.verification import require_recent_second_factor
from strategise.web.clocks.forms import ClockMetForm, ClockStopForm
from strategise.web.govuk import date_input_items
from strategise.web.users import current_user


@require_GET
def clocks_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The discussion's clocks, earliest due first, each with its state and source."""
    user = current_user(request)
    clocks = discussion_clocks(user=user, pk=pk)
    return render(
        request,
        "web/clocks/clocks.html",
        {"clocks": clocks, "discussion": clocks.discussion, "now": timezone.now()},
    )


@require_http_methods(["GET", "POST"])
def clock_met(request: HttpRequest, pk: int, clock_pk: int) -> HttpResponse:
    """Record when a clock's event happened outside Strategise."""
    user = current_user(request)
    detail = discussion_clock(user=user, pk=pk, clock_pk=clock_pk)
    line = detail.line
    if not line.may_mark_met:
        raise Http404("No such page")
    form = ClockMetForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and line.clock.live and form.is_valid():
        try:
            met = clock_mark_met(user=user, clock=line.clock, at=form.at, now=timezone.now())
        except Problem as problem:
            form.add_problem(problem)
        else:
            on_time = "on time" if met.state == ClockState.MET else "late"
            messages.success(request, f"{line.label}: recorded as met {on_time}")
            return redirect("web:clocks", pk=pk)
    errors = form.first_errors()
    return render(
        request,
        "web/clocks/clock_met.html",
        {
            "discussion": detail.discussion,
            "line": line,
            "form": form,
            "errors": errors,
            "error_summary": form.error_summary(),
            "date_items": date_input_items(
                form, "at_date", bool(errors.get("at_date") or errors.get("at"))
            ),
        },
    )


@require_http_methods(["GET", "POST"])
@require_recent_second_factor
def clock_stop_page(request: HttpRequest, pk: int, clock_pk: int) -> HttpResponse:
    """A team manager or above stops a clock that no longer applies, saying why."""
    user = current_user(request)
    detail = discussion_clock(user=user, pk=pk, clock_pk=clock_pk)
    line = detail.line
    if not line.may_stop:
        raise Http404("No such page")
    form = ClockStopForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and line.clock.live and form.is_valid():
        try:
            clock_stop(
                user=user,
                clock=line.clock,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, f"{line.label}: clock stopped")
            return redirect("web:clocks", pk=pk)
    return render(
        request,
        "web/clocks/clock_stop.html",
        {
            "discussion": detail.discussion,
            "line": line,
            "form": form,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
        },
    )
