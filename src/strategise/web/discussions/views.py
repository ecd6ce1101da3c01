"""Strategy discussions: convene (or reconvene) one, read it, reply to an invitation,
record attendance.

Views parse the form, call one service or selector, and render; who may see or do what
is decided by ``strategise.access`` (through the selectors and services).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from strategise.access import may_convene, may_record, may_run_discussion, may_update_action
from strategise.discussions.models import DiscussionStatus
from strategise.discussions.participation import attendance_from_replies
from strategise.discussions.rescheduling import discussion_cancel, discussion_reschedule
from strategise.discussions.selectors import (
    DiscussionDetail,
    discussion_get,
)
from strategise.discussions.services import (
    chair_allowed,
    convening_problems,
    discussion_convene,
    discussion_start,
    reconvene_by,
)
from strategise.minutes.models import MinutesStatus
from strategise.organisations.models import User
from strategise.organisations.selectors import authority_directory
from strategise.policy import get_profile, vocabulary
from strategise.problems import Problem
from strategise.requests.models import StrategyRequest
from strategise.requests.selectors import request_get
from strategise.web.discussions.forms import (
    AttendanceForm,
    CancelForm,
    ConveneForm,
    RescheduleForm,
    invitation_formset,
)
from strategise.web.discussions.partner_forms import ReplyForm
from strategise.web.discussions.partners import reply_with, respond_url
from strategise.web.govuk import date_input_items
from strategise.web.recording.pages import recording_nav
from strategise.web.users import current_user


def _convene_page(
    request: HttpRequest,
    user: User,
    strategy_request: StrategyRequest,
    previous: DiscussionDetail | None = None,
) -> HttpResponse:
    """The convening form; with ``previous``, reconvening that discussion, its invitations
    offered again and the reason for reconvening asked for."""
    directory = authority_directory(user=user)
    data = request.POST if request.method == "POST" else None
    form = ConveneForm(data, strategy_request=strategy_request, directory=directory)
    invitations = invitation_formset(
        data,
        strategy_request=strategy_request,
        directory=directory,
        previous=previous.invitations if previous else None,
    )
    if data is not None:
        # Both, so that every problem on the page is shown at once.
        valid = [form.is_valid(), invitations.is_valid()]
        if all(valid):
            try:
                discussion = discussion_convene(
                    user=user,
                    request=strategy_request,
                    **form.convene_values(),
                    invitations=invitations.specs(),
                    not_involved=invitations.not_involved(),
                    respond_url=respond_url(request),
                    previous=previous.discussion if previous else None,
                    reconvene_reason=form.cleaned_data["reconvene_reason"] if previous else "",
                    now=timezone.now(),
                )
            except Problem as problem:
                form.add_problem(problem)
            else:
                messages.success(
                    request,
                    "Strategy discussion recorded: record who was there"
                    if discussion.recorded_afterwards
                    else f"Strategy discussion {'re' if previous else ''}convened and "
                    "invitations sent",
                )
                return redirect("web:discussion", pk=discussion.pk)
        else:
            # Everything else the procedure asks, in the same round as the form's own errors.
            found = convening_problems(
                request=strategy_request,
                **form.checkable_values() | ({} if previous else {"reconvene_reason": ""}),
                invitations=invitations.specs() if valid[1] else None,
                not_involved=invitations.not_involved() if valid[1] else None,
                previous=previous.discussion if previous else None,
                now=timezone.now(),
            )
            form.add_problem_once(found)
    errors = form.first_errors()
    return render(
        request,
        "web/discussions/convene.html",
        {
            "form": form,
            "invitations": invitations,
            "strategy_request": strategy_request,
            "triage": strategy_request.triage,
            "previous": previous.discussion if previous else None,
            "deadline": (
                reconvene_by(previous.discussion) if previous else strategy_request.hold_by
            ),
            "errors": errors,
            "error_summary": form.error_summary() + invitations.error_summary(),
            "scheduled_date_items": date_input_items(
                form, "scheduled_date", bool(errors.get("scheduled_date"))
            ),
            "vocabulary": vocabulary,
            "reconvening": get_profile(strategy_request.profile).reconvening,
        },
    )


@require_http_methods(["GET", "POST"])
def convene(request: HttpRequest, pk: int) -> HttpResponse:
    """Convene the discussion for a request: format, time, chair and invitations."""
    user = current_user(request)
    strategy_request = request_get(user=user, pk=pk).request
    if not may_convene(user, strategy_request):
        raise Http404
    return _convene_page(request, user, strategy_request)


@require_http_methods(["GET", "POST"])
def reconvene(request: HttpRequest, pk: int) -> HttpResponse:
    """Reconvene a discussion that has been held: the same children, its invitations
    offered again, and the reason for reconvening."""
    user = current_user(request)
    detail = discussion_get(user=user, pk=pk)
    if not may_convene(user, detail.request):
        raise Http404
    if detail.discussion.status != DiscussionStatus.HELD:
        return render(
            request,
            "web/notice.html",
            {
                "title": "Reconvene the strategy discussion",
                "caption": f"Strategy discussion {detail.discussion.pk}",
                "message": "Only a discussion that has been held can be reconvened.",
                "back": reverse("web:discussion", args=[detail.discussion.pk]),
            },
        )
    return _convene_page(request, user, detail.request, previous=detail)


def _discussion_context(user: User, detail: DiscussionDetail) -> dict[str, Any]:
    discussion = detail.discussion
    recorder = may_record(user, discussion)
    latest = detail.chain[-1].discussion.pk if detail.chain else discussion.pk
    return {
        "detail": detail,
        "discussion": discussion,
        "scheduled": discussion.status == DiscussionStatus.SCHEDULED,
        "held": discussion.status == DiscussionStatus.HELD,
        "may_change": discussion.status == DiscussionStatus.SCHEDULED
        and may_convene(user, detail.request),
        "may_run": may_run_discussion(user, discussion),
        "may_record": recorder,
        "nav": recording_nav(user, detail, "web:discussion") if recorder else [],
        "may_reconvene": (
            discussion.status == DiscussionStatus.HELD
            and latest == discussion.pk
            and may_convene(user, detail.request)
        ),
        "updatable": {a.pk for a in detail.actions if may_update_action(user, a)},
        "minutes": [m for m in detail.minutes or [] if m.status != MinutesStatus.DRAFT],
        "chair_allowed": chair_allowed(detail.request, discussion.chair),
        "reply": ReplyForm(),
        "errors": {},
        "now": timezone.now(),
        "vocabulary": vocabulary,
    }


@require_GET
def discussion_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A discussion: when and how, who is invited and replied, quorum, and actions."""
    user = current_user(request)
    detail = discussion_get(user=user, pk=pk, minutes=True)
    return render(request, "web/discussions/discussion.html", _discussion_context(user, detail))


@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed-in user accepts their invitation or sends apologies (with the reason)."""
    user = current_user(request)
    detail = discussion_get(user=user, pk=pk, minutes=True)
    if detail.my_invitation is None:
        raise Http404
    form = reply_with(request, detail.my_invitation, user)
    if not form.is_bound:
        return redirect("web:discussion", pk=pk)
    context = _discussion_context(user, detail)
    context["reply"] = form
    context["errors"] = form.first_errors()
    context["error_summary"] = form.error_summary()
    return render(request, "web/discussions/discussion.html", context)


@require_http_methods(["GET", "POST"])
def start_discussion(request: HttpRequest, pk: int) -> HttpResponse:
    """Record who is there (and why a required agency is not), then start the discussion."""
    user = current_user(request)
    detail = discussion_get(user=user, pk=pk)
    if not may_run_discussion(user, detail.discussion):
        raise Http404
    data = request.POST if request.method == "POST" else None
    # The form starts from the replies already given (accepted: attended; apologies or a
    # deputy: apologies; a written report sent: written report); the chair confirms each.
    suffices = get_profile(detail.request.profile).notes.get("written_report_suffices")
    form = AttendanceForm(
        data,
        invitations=detail.invitations,
        report_may_suffice=suffices is not None,
        initial={f"attendance-{i.pk}": attendance_from_replies(i) for i in detail.invitations},
    )
    if data is not None and form.is_valid():
        try:
            discussion_start(
                user=user,
                discussion=detail.discussion,
                attendance=form.attendance(),
                absence_reasons=form.absence_reasons(),
                report_suffices=form.report_suffices(),
                now=timezone.now(),
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Attendance recorded: the discussion has started")
            return redirect("web:discussion", pk=pk)
    return render(
        request,
        "web/discussions/attendance.html",
        {
            "detail": detail,
            "discussion": detail.discussion,
            "form": form,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
            "scheduled": detail.discussion.status == DiscussionStatus.SCHEDULED,
            "vocabulary": vocabulary,
            "suffices": suffices,
        },
    )


def _changeable(request: HttpRequest, pk: int) -> tuple[User, DiscussionDetail]:
    user = current_user(request)
    detail = discussion_get(user=user, pk=pk)
    if not may_convene(user, detail.request):
        raise Http404
    return user, detail


@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a discussion that has not started to another time or place, with the reason;
    invitees are sent the calendar update."""
    user, detail = _changeable(request, pk)
    discussion = detail.discussion
    data = request.POST if request.method == "POST" else None
    form = RescheduleForm(data, initial={"location": discussion.location})
    if data is not None and form.is_valid():
        try:
            discussion_reschedule(
                user=user,
                discussion=discussion,
                scheduled_for=form.cleaned_data["scheduled_for"],
                location=form.cleaned_data["location"],
                reason=form.cleaned_data["reason"],
                respond_url=respond_url(request),
                now=timezone.now(),
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Strategy discussion moved and invitees told")
            return redirect("web:discussion", pk=pk)
    errors = form.first_errors()
    return render(
        request,
        "web/discussions/reschedule.html",
        {
            "discussion": discussion,
            "scheduled": discussion.status == DiscussionStatus.SCHEDULED,
            "form": form,
            "errors": errors,
            "error_summary": form.error_summary(),
            "scheduled_date_items": date_input_items(
                form, "scheduled_date", bool(errors.get("scheduled_date"))
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a discussion that has not started, with the reason; invitees are sent the
    calendar cancellation."""
    user, detail = _changeable(request, pk)
    discussion = detail.discussion
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            discussion_cancel(
                user=user,
                discussion=discussion,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Strategy discussion cancelled and invitees told")
            return redirect("web:request", pk=discussion.request_id)
    return render(
        request,
        "web/discussions/cancel.html",
        {
            "discussion": discussion,
            "scheduled": discussion.status == DiscussionStatus.SCHEDULED,
            "form": form,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
        },
    )
