"""Correcting a concluded discussion's record: the chair (or a team manager or above)
opens a correction with its reason, edits the record as before, then closes it here;
closing passes the checks of concluding again, and the clocks and minutes follow."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from strategise.access import may_correct
from strategise.discussions.corrections import correction_close, correction_open
from strategise.discussions.models import DiscussionStatus
from strategise.discussions.selectors import discussion_get
from strategise.problems import Problem
from strategise.web.account.verification import require_recent_second_factor
from strategise.web.recording.conclude import problem_summary
from strategise.web.recording.forms import CorrectionForm
from strategise.web.recording.pages import recording_context
from strategise.web.users import current_user


@require_http_methods(["GET", "POST"])
# Opening or closing a correction changes a concluded record and can stop a clock: a
# second factor from the last 15 minutes, as for stopping a clock, asked before the page
# so that a reason typed is never lost to the question.
@require_recent_second_factor
def correction_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a correction (with its reason), or close the one that is open."""
    user = current_user(request)
    detail = discussion_get(user=user, pk=pk)
    discussion = detail.discussion
    if not may_correct(user, discussion) or discussion.status != DiscussionStatus.HELD:
        raise Http404
    posted = request.POST if request.method == "POST" else None
    closing = posted is not None and posted.get("action") == "close"
    form = CorrectionForm(None if closing else posted)
    error_summary: list[dict[str, str]] = []
    if posted is not None:
        try:
            if closing:
                correction_close(user=user, discussion=discussion, now=timezone.now())
                messages.success(request, "Correction closed: the minutes are drafted again")
                return redirect("web:minutes", pk=pk)
            if form.is_valid():
                # A repeated post of the same form answers with the correction it opened.
                correction_open(
                    user=user,
                    discussion=discussion,
                    reason=form.cleaned_data["reason"],
                    now=timezone.now(),
                    token=form.cleaned_data["token"],
                )
                messages.success(request, "Correction opened: the record can be changed")
                form.language_saved(request, detail.request.profile)
                return redirect("web:correction", pk=pk)
        except Problem as problem:
            if closing:
                error_summary = problem_summary(pk, problem.errors)
            else:
                form.add_problem(problem)
    return render(
        request,
        "web/recording/correction.html",
        recording_context(
            user,
            detail,
            "web:conclude",
            form=form,
            errors=form.first_errors(),
            error_summary=error_summary or form.error_summary(),
        ),
    )
