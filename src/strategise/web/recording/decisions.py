"""The decisions of a discussion: for each child, for the whole discussion, and a team
manager's confirmation of "no further action" where the procedure asks for one.

Views parse the form, call one service or selector, and render; decisions are saved as
drafts (``strategise.web.drafts``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from strategise.access import may_confirm_no_further_action
from strategise.discussions.decisions import decision_confirm_no_further_action, decision_save
from strategise.discussions.models import Outcome
from strategise.discussions.recording import record_save
from strategise.discussions.selectors import discussion_get
from strategise.policy import get_profile
from strategise.problems import Problem
from strategise.web.drafts import draft
from strategise.web.govuk import date_input_items
from strategise.web.recording.forms import ConfirmationForm, DecisionForm, OtherDecisionsForm
from strategise.web.recording.pages import recordable, recording_context
from strategise.web.users import current_user


@require_http_methods(["GET", "POST"])
def decisions_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision for each child, and the decisions about the whole discussion."""
    user, detail = recordable(request, pk)
    initial = OtherDecisionsForm.initial_from(detail.record)

    def make(data: QueryDict | None) -> OtherDecisionsForm:
        return OtherDecisionsForm(data, initial=initial)

    def save(form: OtherDecisionsForm, base: dict[str, Any] | None) -> object:
        return record_save(
            user=user,
            discussion=detail.discussion,
            values=form.values(),
            expected_version=form.cleaned_data["version"],
            base=base,
            now=timezone.now(),
        )

    def reload() -> dict[str, Any]:
        return OtherDecisionsForm.initial_from(discussion_get(user=user, pk=pk).record)

    saving = draft(request, make, initial, save, reload)
    if saving.saved:
        messages.success(request, "Decisions saved as a draft")
        return redirect("web:decisions", pk=pk)
    form = saving.form
    errors = form.first_errors()
    profile = get_profile(detail.request.profile)
    return render(
        request,
        "web/recording/decisions.html",
        recording_context(
            user,
            detail,
            "web:decisions",
            **saving.context(),
            further_items=date_input_items(
                form, "further_discussion_by", bool(errors.get("further_discussion_by"))
            ),
            nfa_note=profile.notes.get("nfa_confirmation"),
            may_confirm=may_confirm_no_further_action(user, detail.discussion),
            family_step=next(
                (
                    step
                    for step in detail.request.triage["steps"]
                    if step["code"] == "record_reason_if_family_not_informed"
                ),
                None,
            ),
        ),
    )


@require_http_methods(["GET", "POST"])
def decision_page(request: HttpRequest, pk: int, child_pk: int) -> HttpResponse:
    """The decision for one child, with its rationale and who will see the child."""
    user, detail = recordable(request, pk)
    child = next((c for c in detail.children if c.pk == child_pk), None)
    if child is None:
        raise Http404
    decision = detail.decisions.get(child.pk)
    initial = DecisionForm.initial_from(decision)

    def make(data: QueryDict | None) -> DecisionForm:
        return DecisionForm(data, initial=initial, child=child)

    def save(form: DecisionForm, base: dict[str, Any] | None) -> object:
        return decision_save(
            user=user,
            discussion=detail.discussion,
            child=child,
            values=form.values(),
            expected_version=form.cleaned_data["version"],
            base=base,
            now=timezone.now(),
        )

    def reload() -> dict[str, Any]:
        return DecisionForm.initial_from(discussion_get(user=user, pk=pk).decisions.get(child_pk))

    saving = draft(request, make, initial, save, reload)
    if saving.saved:
        messages.success(request, f"Decision for {child.full_name} saved")
        saving.form.language_saved(request, detail.request.profile)
        return redirect(reverse("web:decisions", args=[pk]) + "#children")
    form = saving.form
    errors = form.first_errors()
    profile = get_profile(detail.request.profile)
    return render(
        request,
        "web/recording/decision.html",
        recording_context(
            user,
            detail,
            "web:decisions",
            child=child,
            decision=decision,
            siblings=[
                c
                for c in detail.children
                if c.pk != child.pk and c.household_id and c.household_id == child.household_id
            ],
            sibling_note=profile.notes.get("sibling_medicals"),
            no_medical=profile.no_medical_assessment,
            **saving.context(),
            seen_items=date_input_items(
                form,
                "seen_by_when_date",
                bool(errors.get("seen_by_when_date") or errors.get("seen_by_when")),
            ),
        ),
    )


@require_http_methods(["GET", "POST"])
def confirm_no_further_action(request: HttpRequest, pk: int, child_pk: int) -> HttpResponse:
    """A team manager (or above) confirms a 'no further action' decision, with reasons."""
    user = current_user(request)
    detail = discussion_get(user=user, pk=pk)
    if not may_confirm_no_further_action(user, detail.discussion):
        raise Http404
    child = next((c for c in detail.children if c.pk == child_pk), None)
    if child is None:
        raise Http404
    decision = detail.decisions.get(child.pk)
    needs_confirming = decision is not None and decision.outcome == Outcome.NO_FURTHER_ACTION
    form = ConfirmationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and decision is not None and form.is_valid():
        try:
            decision_confirm_no_further_action(
                user=user, decision=decision, reasons=form.cleaned_data["reasons"]
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, f"No further action confirmed for {child.full_name}")
            form.language_saved(request, detail.request.profile)
            return redirect(reverse("web:decisions", args=[pk]) + "#children")
    return render(
        request,
        "web/recording/confirm_nfa.html",
        recording_context(
            user,
            detail,
            "web:decisions",
            child=child,
            decision=decision,
            needs_confirming=needs_confirming,
            note=get_profile(detail.request.profile).notes.get("nfa_confirmation"),
            form=form,
            errors=form.first_errors(),
            error_summary=form.error_summary(),
        ),
    )
