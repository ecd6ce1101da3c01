"""An agency's dissent from a decision: recorded by those who record the discussion, or
by the agency's own invitee."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from strategise.discussions.decisions import dissent_record
from strategise.discussions.recording import may_record
from strategise.discussions.selectors import discussion_get
from strategise.problems import Problem
from strategise.web.recording.forms import DissentForm
from strategise.web.recording.pages import agency_label, recording_context
from strategise.web.users import current_user


@require_http_methods(["GET", "POST"])
def dissent_page(request: HttpRequest, pk: int) -> HttpResponse:
    """An agency's dissent from a decision: those who record it, or the agency itself."""
    user = current_user(request)
    detail = discussion_get(user=user, pk=pk)
    recorder = may_record(user, detail.discussion)
    if not recorder and detail.my_invitation is None:
        raise Http404
    invitations = detail.invitations if recorder else [detail.my_invitation]
    form = DissentForm(
        request.POST if request.method == "POST" else None,
        invitations=[i for i in invitations if i is not None],
    )
    if request.method == "POST" and form.is_valid():
        try:
            dissent_record(
                user=user,
                discussion=detail.discussion,
                invitation=form.chosen(),
                about=form.cleaned_data["about"],
                reasons=form.cleaned_data["reasons"],
                token=form.cleaned_data["token"],
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, f"Dissent of {agency_label(form.chosen())} recorded")
            form.language_saved(request, detail.request.profile)
            return redirect("web:dissent", pk=pk)
    return render(
        request,
        "web/recording/dissent.html",
        recording_context(
            user,
            detail,
            "web:dissent",
            form=form,
            errors=form.first_errors(),
            error_summary=form.error_summary(),
            agency=agency_label,
        ),
    )
