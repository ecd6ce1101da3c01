"""The actions agreed at a discussion: adding them, and their owners' updates.

Views parse the form, call one service or selector, and render. Those who record the
discussion add actions; an action's owner (or those who record) updates it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from strategise.actions.models import Action
from strategise.actions.selectors import action_get
from strategise.actions.services import action_create, action_update, may_update_action
from strategise.discussions.recording import may_record
from strategise.discussions.selectors import DiscussionDetail
from strategise.organisations.models import User
from strategise.organisations.selectors import authority_directory
from strategise.policy import vocabulary
from strategise.problems import Problem
from strategise.web.actions.forms import ActionForm, ActionUpdateForm
from strategise.web.drafts import draft
from strategise.web.govuk import date_input_items
from strategise.web.recording.pages import recordable, recording_context
from strategise.web.users import current_user


def _people(user: User, detail: DiscussionDetail) -> list[User]:
    """Who may own an action: invitees who use Strategise, then the authority's social care."""
    people = {i.user.pk: i.user for i in detail.invitations if i.user is not None}
    for person in authority_directory(user=user).users_of_kind("childrens_social_care"):
        people.setdefault(person.pk, person)
    return list(people.values())


@require_http_methods(["GET", "POST"])
def actions_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The actions agreed: who (agency and person) does what by when."""
    user, detail = recordable(request, pk)
    form = ActionForm(
        request.POST if request.method == "POST" else None,
        people=_people(user, detail),
        children=detail.children,
    )
    if request.method == "POST" and form.is_valid():
        try:
            action_create(
                user=user, discussion=detail.discussion, **form.values(), now=timezone.now()
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Action added")
            form.language_saved(request, detail.request.profile)
            return redirect("web:actions", pk=pk)
    errors = form.first_errors()
    return render(
        request,
        "web/actions/actions.html",
        recording_context(
            user,
            detail,
            "web:actions",
            form=form,
            errors=errors,
            error_summary=form.error_summary(),
            due_items=date_input_items(
                form, "due_date", bool(errors.get("due_date") or errors.get("due"))
            ),
            now=timezone.now(),
        ),
    )


@require_http_methods(["GET", "POST"])
def action_page(request: HttpRequest, pk: int) -> HttpResponse:
    """An action's owner (or those who record its discussion) updates its status; if
    someone else updated it meanwhile, both versions are shown (``web.drafts``)."""
    user = current_user(request)
    action: Action = action_get(user=user, pk=pk)
    if not may_update_action(user, action):
        raise Http404
    initial = ActionUpdateForm.initial_from(action)

    def make(data: QueryDict | None) -> ActionUpdateForm:
        return ActionUpdateForm(data, initial=initial)

    def save(form: ActionUpdateForm, base: dict[str, Any] | None) -> object:
        return action_update(
            user=user,
            action=action,
            **form.values(),
            expected_version=form.cleaned_data["version"],
            base=base,
            now=timezone.now(),
        )

    def reload() -> dict[str, Any]:
        return ActionUpdateForm.initial_from(action_get(user=user, pk=pk))

    saving = draft(request, make, initial, save, reload)
    profile = action.discussion.request.profile
    if saving.saved:
        messages.success(request, "Action updated")
        saving.form.language_saved(request, profile)
        if may_record(user, action.discussion):
            return redirect("web:actions", pk=action.discussion_id)
        return redirect("web:discussion", pk=action.discussion_id)
    return render(
        request,
        "web/actions/action.html",
        {
            "action": action,
            "discussion": action.discussion,
            "agency": vocabulary.ATTENDEES.get(action.agency_code, action.agency_code),
            **saving.context(),
            "language": saving.form.language(profile),
            "now": timezone.now(),
        },
    )
