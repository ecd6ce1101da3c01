"""One agency's contribution to a discussion, with its two sharing markers.

Those who record the discussion write any agency's; an invited agency's representative
writes their own. Saving is a draft (``strategise.web.drafts``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from strategise.discussions.recording import (
    contribution_save,
    contribution_update_add,
    may_record,
)
from strategise.discussions.selectors import discussion_get
from strategise.minutes.content import CONSENT_NEEDED, NOT_FOR_FAMILY
from strategise.problems import Problem
from strategise.web.drafts import draft
from strategise.web.recording.forms import ContributionForm, ContributionUpdateForm
from strategise.web.recording.pages import agency_label, recording_context
from strategise.web.users import current_user


@require_http_methods(["GET", "POST"])
def contribution_page(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    """One agency's contribution: by those who record, or by the agency's own invitee."""
    user = current_user(request)
    detail = discussion_get(user=user, pk=pk)
    invitation = next((i for i in detail.invitations if i.pk == invitation_pk), None)
    recorder = may_record(user, detail.discussion)
    if invitation is None or not (recorder or invitation.user_id == user.pk):
        raise Http404
    initial = ContributionForm.initial_from(getattr(invitation, "contribution", None))

    def make(data: QueryDict | None) -> ContributionForm:
        return ContributionForm(data, initial=initial)

    def save(form: ContributionForm, base: dict[str, Any] | None) -> object:
        values = form.values()
        return contribution_save(
            user=user,
            invitation=invitation,
            text=values["text"],
            not_for_family=values["not_for_family"],
            consent_needed=values["consent_needed"],
            expected_version=form.cleaned_data["version"],
            base=base,
            now=timezone.now(),
        )

    def reload() -> dict[str, Any]:
        again = discussion_get(user=user, pk=pk).invitations
        mine = next(i for i in again if i.pk == invitation_pk)
        return ContributionForm.initial_from(getattr(mine, "contribution", None))

    saving = draft(request, make, initial, save, reload)
    if saving.saved:
        messages.success(request, f"Contribution of {agency_label(invitation)} saved")
        saving.form.language_saved(request, detail.request.profile)
        if recorder:
            return redirect(reverse("web:record", args=[pk]) + "#section-contributions")
        return redirect("web:discussion", pk=pk)
    return render(
        request,
        "web/recording/contribution.html",
        recording_context(
            user,
            detail,
            "web:record",
            **saving.context(),
            invitation=invitation,
            agency=agency_label(invitation),
            not_for_family=NOT_FOR_FAMILY,
            consent_needed=CONSENT_NEEDED,
        ),
    )


@require_http_methods(["GET", "POST"])
def contribution_update_page(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    """After the discussion: a dated update to an agency's contribution, by its invitee or
    by those who record the discussion."""
    user = current_user(request)
    detail = discussion_get(user=user, pk=pk)
    invitation = next((i for i in detail.invitations if i.pk == invitation_pk), None)
    recorder = may_record(user, detail.discussion)
    if invitation is None or not (recorder or invitation.user_id == user.pk):
        raise Http404
    form = ContributionUpdateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            contribution_update_add(
                user=user,
                invitation=invitation,
                text=form.cleaned_data["text"],
                now=timezone.now(),
                token=form.cleaned_data["token"],
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(
                request, f"Update to the contribution of {agency_label(invitation)} added"
            )
            form.language_saved(request, detail.request.profile)
            if recorder:
                return redirect(reverse("web:record", args=[pk]) + "#section-contributions")
            return redirect("web:discussion", pk=pk)
    return render(
        request,
        "web/recording/contribution_update.html",
        recording_context(
            user,
            detail,
            "web:record",
            form=form,
            errors=form.first_errors(),
            error_summary=form.error_summary(),
            agency=agency_label(invitation),
            contribution=getattr(invitation, "contribution", None),
        ),
    )
