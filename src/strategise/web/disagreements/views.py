"""Professional disagreements: raise one from a discussion, read it, move it to the
procedure's next stage, resolve it; and the open ones the user may see.

Views parse the form, call one service or selector, and render. Who may see one is
decided by ``strategise.access`` (through the selectors); who may move it
on by ``strategise.access.may_move``. Anyone else gets "not found".
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from strategise.disagreements.models import DisagreementStatus
from strategise.disagreements.selectors import (
    DisagreementDetail,
    disagreement_get,
    disagreement_list,
    discussion_for_disagreement,
    escalation_preview,
)
from strategise.disagreements.services import (
    disagreement_escalate,
    disagreement_raise,
    disagreement_resolve,
    escalation_stages,
)
from strategise.discussions.models import DiscussionStatus
from strategise.organisations.models import User
from strategise.problems import Problem
from strategise.web.disagreements.forms import EscalateForm, RaiseForm, ResolveForm
from strategise.web.users import current_user


def _on_the_page(problem: Problem, moved: dict[str, str]) -> Problem:
    """The service's problem with its fields renamed to the inputs this page has."""
    return Problem.many([(moved.get(field or "", field), text) for field, text in problem.errors])


@require_GET
def disagreement_list_page(request: HttpRequest) -> HttpResponse:
    """The open disagreements the user may see: those they hold first, then the others."""
    user = current_user(request)
    found = disagreement_list(user=user)
    return render(
        request,
        "web/disagreements/disagreements.html",
        {
            # ``held_by_user`` is the selector's annotation (whether the user holds it).
            "held_by_you": [d for d in found if d.disagreement.held_by_user],  # type: ignore[attr-defined]
            "others": [d for d in found if not d.disagreement.held_by_user],  # type: ignore[attr-defined]
        },
    )


@require_http_methods(["GET", "POST"])
def disagreement_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Raise a professional disagreement about a discussion's request or outcome."""
    user = current_user(request)
    discussion = discussion_for_disagreement(user=user, pk=pk)
    form = RaiseForm(
        request.POST if request.method == "POST" else None,
        held=discussion.status == DiscussionStatus.HELD,
    )
    if request.method == "POST" and form.is_valid():
        try:
            disagreement = disagreement_raise(
                user=user,
                request=discussion.request,
                discussion=discussion,
                subject=form.cleaned_data["subject"],
                description=form.cleaned_data["description"],
                now=timezone.now(),
                token=form.cleaned_data["token"],
            )
        except Problem as problem:
            form.add_problem(_on_the_page(problem, {"discussion": "subject"}))
        else:
            messages.success(request, "Professional disagreement raised")
            return redirect("web:disagreement", pk=disagreement.pk)
    return render(
        request,
        "web/disagreements/disagreement_new.html",
        {
            "discussion": discussion,
            "first_stage": escalation_stages(discussion.request.profile)[0],
            "form": form,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
        },
    )


@require_GET
def disagreement_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Where a disagreement stands: its stages, who holds it and since when, its history."""
    user = current_user(request)
    detail = disagreement_get(user=user, pk=pk)
    return render(request, "web/disagreements/disagreement.html", _context(detail))


def _context(detail: DisagreementDetail) -> dict[str, object]:
    disagreement = detail.disagreement
    return {
        "detail": detail,
        "disagreement": disagreement,
        "open": disagreement.status == DisagreementStatus.OPEN,
    }


def _movable(request: HttpRequest, pk: int) -> tuple[User, DisagreementDetail]:
    """The user and the disagreement, if they may move it on (404 otherwise)."""
    user = current_user(request)
    detail = disagreement_get(user=user, pk=pk)
    if not detail.may_move:
        raise Http404("No such page")
    return user, detail


@require_http_methods(["GET", "POST"])
def disagreement_escalate_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Move it to the procedure's next stage, saying why and who holds it there."""
    user, detail = _movable(request, pk)
    disagreement = detail.disagreement
    following = detail.next_stage
    form = EscalateForm(
        request.POST if request.method == "POST" else None,
        outside=following is not None and following["held_by"] == "outside",
        initial={"expected_stage": disagreement.stage},
    )
    if request.method == "POST" and detail.next_stage is not None and form.is_valid():
        try:
            disagreement_escalate(
                user=user,
                disagreement=disagreement,
                note=form.cleaned_data["note"],
                expected_stage=form.cleaned_data["expected_stage"],
                outside_name=form.cleaned_data["outside_name"],
                outside_email=form.cleaned_data["outside_email"],
                now=timezone.now(),
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, f"Escalated to the next stage: {detail.next_stage['title']}")
            return redirect("web:disagreement", pk=pk)
    return render(
        request,
        "web/disagreements/disagreement_escalate.html",
        {
            **_context(detail),
            "next_holding": escalation_preview(detail),
            "form": form,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
        },
    )


@require_http_methods(["GET", "POST"])
def disagreement_resolve_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Record how it was resolved, and the outcome."""
    user, detail = _movable(request, pk)
    disagreement = detail.disagreement
    form = ResolveForm(request.POST if request.method == "POST" else None)
    open_now = disagreement.status == DisagreementStatus.OPEN
    if request.method == "POST" and open_now and form.is_valid():
        try:
            disagreement_resolve(
                user=user,
                disagreement=disagreement,
                resolution=form.cleaned_data["resolution"],
                outcome=form.cleaned_data["outcome"],
                now=timezone.now(),
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Disagreement resolved")
            return redirect("web:disagreement", pk=pk)
    return render(
        request,
        "web/disagreements/disagreement_resolve.html",
        {
            **_context(detail),
            "form": form,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
        },
    )
