"""Recording a discussion: the record, contributions, decisions, dissent, actions, and
concluding it.

Views parse the form, call one service or selector, and render. Who may record is
decided by ``strategise.access.may_record``: the chair, the minute-taker
and the authority's children's social care; anyone else gets "not found". An invited
agency's representative may record their own contribution and dissent, and update their
own actions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from strategise.access import may_confirm_no_further_action, may_record, may_update_action
from strategise.actions.models import Action
from strategise.actions.selectors import action_get
from strategise.actions.services import action_create, action_update
from strategise.discussions.agenda import RISK_SOURCE, agenda, risk_questions
from strategise.discussions.concluding import conclusion_problems, discussion_conclude
from strategise.discussions.decisions import (
    decision_confirm_no_further_action,
    decision_save,
    dissent_record,
)
from strategise.discussions.models import AlsoDecided, DiscussionStatus, Invitation, Outcome
from strategise.discussions.recording import EditConflict, contribution_save, record_save
from strategise.discussions.selectors import DiscussionDetail, discussion_get
from strategise.minutes.content import CONSENT_NEEDED, NOT_FOR_FAMILY
from strategise.organisations.models import User
from strategise.organisations.selectors import authority_directory
from strategise.policy import get_profile, vocabulary
from strategise.policy.wording import format_when
from strategise.problems import Problem
from strategise.web.forms_recording import (
    ActionForm,
    ActionUpdateForm,
    ConfirmationForm,
    ContributionForm,
    DecisionForm,
    DissentForm,
    OtherDecisionsForm,
    RecordForm,
    VersionedForm,
)
from strategise.web.govuk import GovukForm, date_input_items
from strategise.web.views_account import current_user

# The prefix of the hidden inputs that say what an edit began from.
BASE = "base-"

# Where each of the services' conclusion problems is put right: (page, element id).
PUT_RIGHT: dict[str, tuple[str, str]] = {
    "record": ("web:record", "main-content"),
    "decisions": ("web:decisions", "children"),
    "medical_decision": ("web:decisions", "medical_decision"),
    "medical_reasoning": ("web:decisions", "medical_reasoning"),
    "family_informed": ("web:decisions", "family_informed"),
    "family_informed_by": ("web:decisions", "family_informed_by"),
    "family_not_informed_reason": ("web:decisions", "family_not_informed_reason"),
    "legal_advice": ("web:decisions", "legal_advice"),
    "further_discussion_needed": ("web:decisions", "further_discussion_needed"),
    "further_discussion_by": ("web:decisions", "further_discussion_by-day"),
}


# --- shared ----------------------------------------------------------------------------


def recording_nav(user: User, detail: DiscussionDetail, here: str) -> list[dict[str, Any]]:
    """The pages for recording this discussion, for those who record it."""
    discussion = detail.discussion
    pages = [
        ("web:discussion", "The discussion"),
        ("web:record", "Record"),
        ("web:decisions", "Decisions"),
        ("web:dissent", "Dissent"),
        ("web:actions", "Actions"),
    ]
    if user.pk == discussion.chair_id:
        pages.append(("web:conclude", "Conclude"))
    pages += [("web:minutes", "Minutes"), ("web:distribution", "Distribution")]
    return [
        {"text": text, "href": reverse(name, args=[discussion.pk]), "current": name == here}
        for name, text in pages
    ]


def _recordable(request: HttpRequest, pk: int) -> tuple[User, DiscussionDetail]:
    """The user and the discussion, if they may record it (404 otherwise)."""
    user = current_user(request)
    detail = discussion_get(user=user, pk=pk)
    if not may_record(user, detail.discussion):
        raise Http404
    return user, detail


def _context(user: User, detail: DiscussionDetail, here: str, **extra: Any) -> dict[str, Any]:
    discussion = detail.discussion
    return {
        "detail": detail,
        "discussion": discussion,
        "nav": recording_nav(user, detail, here) if may_record(user, discussion) else [],
        "not_started": discussion.status == DiscussionStatus.SCHEDULED,
        "cancelled": discussion.status == DiscussionStatus.CANCELLED,
        "held": discussion.status == DiscussionStatus.HELD,
        "also_labels": dict(AlsoDecided.choices),
        "vocabulary": vocabulary,
        **extra,
    }


def _shown(form: GovukForm, name: str, value: Any) -> str:
    """A saved value as the page shows it."""
    if value is None or value in ("", []):
        return "Nothing recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return format_when(value)
    field = form.fields.get(name)
    labels = dict(getattr(field, "choices", []) or [])
    if isinstance(value, list):
        return "; ".join(str(labels.get(item, item)) for item in value)
    return str(labels.get(value, value))


def _after_conflict[F: VersionedForm](
    make: Callable[[QueryDict | None], F], data: QueryDict, conflict: EditConflict
) -> tuple[F, dict[str, dict[str, str]]]:
    """The form again with what was typed, now based on the version saved meanwhile, and
    each field they changed with both versions: theirs (saved) and yours (in the box)."""
    rebased = data.copy()
    rebased["version"] = str(conflict.version)
    form = make(rebased)
    form.is_valid()
    form.add_problem(conflict)
    shown: dict[str, dict[str, str]] = {}
    for name, (yours, theirs) in conflict.changes.items():
        if isinstance(yours, dict) or isinstance(theirs, dict):
            prefix = "risk_" if name == "risk_answers" else "agenda-"
            mine, others = yours or {}, theirs or {}
            for key in sorted(set(mine) | set(others)):
                if mine.get(key, "") != others.get(key, ""):
                    shown[f"{prefix}{key}"] = {
                        "theirs": others.get(key) or "Nothing recorded",
                        "yours": mine.get(key) or "Nothing recorded",
                    }
        else:
            shown[name] = {"theirs": _shown(form, name, theirs), "yours": _shown(form, name, yours)}
    for name in shown:
        form._error(name, "Someone else changed this: compare their version with yours")
    return form, shown


def base_inputs(initial: dict[str, Any]) -> list[tuple[str, str]]:
    """What an edit began from, as hidden inputs that come back with it (``base-<name>``),
    so that a save after someone else's keeps the parts only they changed."""
    pairs = [(f"{BASE}version", str(initial.get("version", 0)))]
    for name, value in initial.items():
        if name == "version" or value in (None, False, ""):
            continue
        if value is True:
            pairs.append((f"{BASE}{name}", "on"))
        elif isinstance(value, list):
            pairs += [(f"{BASE}{name}", str(item)) for item in value]
        else:
            pairs.append((f"{BASE}{name}", str(value)))
    return pairs


def _posted_base(data: QueryDict) -> QueryDict | None:
    """The ``base-`` inputs of a post, without their prefix (none if it sent none)."""
    if f"{BASE}version" not in data:
        return None
    base = QueryDict(mutable=True)
    for key in data:
        if key.startswith(BASE):
            base.setlist(key.removeprefix(BASE), data.getlist(key))
    return base


@dataclass
class Draft[F: VersionedForm]:
    """A draft form after a GET or a POST: its conflicts, the base it carries, and
    whether it was saved."""

    form: F
    conflicts: dict[str, dict[str, str]]
    base: list[tuple[str, str]]
    saved: bool = False


def _draft[F: VersionedForm](
    request: HttpRequest,
    make: Callable[[QueryDict | None], F],
    initial: dict[str, Any],
    save: Callable[[F, dict[str, Any] | None], object],
    reload: Callable[[], dict[str, Any]],
) -> Draft[F]:
    """Show a draft form, or save it: a conflict shows both versions and moves the form on
    to the version now saved (``reload`` reads it), so that saving again saves."""
    if request.method != "POST":
        return Draft(make(None), {}, base_inputs(initial))
    form = make(request.POST)
    posted = _posted_base(request.POST)
    base_pairs = (
        [(f"{BASE}{key}", value) for key in posted for value in posted.getlist(key)]
        if posted is not None
        else base_inputs(initial)
    )
    if not form.is_valid():
        return Draft(form, {}, base_pairs)
    base_form = make(posted) if posted is not None else None
    base = base_form.values() if base_form is not None and base_form.is_valid() else None
    try:
        save(form, base)
    except EditConflict as conflict:
        rebased, conflicts = _after_conflict(make, request.POST, conflict)
        return Draft(rebased, conflicts, base_inputs(reload()))
    except Problem as problem:
        form.add_problem(problem)
        return Draft(form, {}, base_pairs)
    return Draft(form, {}, base_pairs, saved=True)


# --- the record ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def record_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The record, in the order of the procedure's agenda: attendance and quorum, family
    details, reason, background, contributions, the analysis and notes on each item."""
    user, detail = _recordable(request, pk)
    discussion = detail.discussion
    items = agenda(discussion)
    questions = risk_questions(discussion)
    initial = RecordForm.initial_from(detail.record)

    def make(data: QueryDict | None) -> RecordForm:
        return RecordForm(data, initial=initial, questions=questions, agenda=items)

    def save(form: RecordForm, base: dict[str, Any] | None) -> object:
        return record_save(
            user=user,
            discussion=discussion,
            values=form.values(),
            expected_version=form.cleaned_data["version"],
            base=base,
            now=timezone.now(),
        )

    def reload() -> dict[str, Any]:
        return RecordForm.initial_from(discussion_get(user=user, pk=pk).record)

    draft = _draft(request, make, initial, save, reload)
    if draft.saved:
        messages.success(request, "Record saved as a draft")
        return redirect("web:record", pk=pk)
    return render(
        request,
        "web/record.html",
        _context(
            user,
            detail,
            "web:record",
            **_draft_context(draft),
            agenda=items,
            profile_agenda=any(item.section is None for item in items),
            profile_title=get_profile(detail.request.profile).title,
            risk_source=RISK_SOURCE,
            reviewing=discussion.previous_id is not None,
        ),
    )


def _draft_context(draft: Draft[Any]) -> dict[str, Any]:
    return {
        "form": draft.form,
        "errors": draft.form.first_errors(),
        "error_summary": draft.form.error_summary(),
        "conflicts": draft.conflicts,
        "base": draft.base,
    }


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

    draft = _draft(request, make, initial, save, reload)
    if draft.saved:
        messages.success(request, f"Contribution of {_agency(invitation)} saved")
        if recorder:
            return redirect(reverse("web:record", args=[pk]) + "#section-contributions")
        return redirect("web:discussion", pk=pk)
    return render(
        request,
        "web/contribution.html",
        _context(
            user,
            detail,
            "web:record",
            **_draft_context(draft),
            invitation=invitation,
            agency=_agency(invitation),
            not_for_family=NOT_FOR_FAMILY,
            consent_needed=CONSENT_NEEDED,
        ),
    )


def _agency(invitation: Invitation) -> str:
    label = vocabulary.ATTENDEES.get(invitation.agency_code, invitation.agency_code)
    return f"{label} ({invitation.name or invitation.user or 'not named'})"


# --- decisions -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def decisions_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision for each child, and the decisions about the whole discussion."""
    user, detail = _recordable(request, pk)
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

    draft = _draft(request, make, initial, save, reload)
    if draft.saved:
        messages.success(request, "Decisions saved as a draft")
        return redirect("web:decisions", pk=pk)
    form = draft.form
    errors = form.first_errors()
    profile = get_profile(detail.request.profile)
    return render(
        request,
        "web/decisions.html",
        _context(
            user,
            detail,
            "web:decisions",
            **_draft_context(draft),
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
    user, detail = _recordable(request, pk)
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

    draft = _draft(request, make, initial, save, reload)
    if draft.saved:
        messages.success(request, f"Decision for {child.full_name} saved")
        return redirect(reverse("web:decisions", args=[pk]) + "#children")
    form = draft.form
    errors = form.first_errors()
    return render(
        request,
        "web/decision.html",
        _context(
            user,
            detail,
            "web:decisions",
            child=child,
            decision=decision,
            **_draft_context(draft),
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
            return redirect(reverse("web:decisions", args=[pk]) + "#children")
    return render(
        request,
        "web/confirm_nfa.html",
        _context(
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


# --- dissent and actions ---------------------------------------------------------------


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
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, f"Dissent of {_agency(form.chosen())} recorded")
            return redirect("web:dissent", pk=pk)
    return render(
        request,
        "web/dissent.html",
        _context(
            user,
            detail,
            "web:dissent",
            form=form,
            errors=form.first_errors(),
            error_summary=form.error_summary(),
            agency=_agency,
        ),
    )


def _people(user: User, detail: DiscussionDetail) -> list[User]:
    """Who may own an action: invitees who use Strategise, then the authority's social care."""
    people = {i.user.pk: i.user for i in detail.invitations if i.user is not None}
    for person in authority_directory(user=user).users_of_kind("childrens_social_care"):
        people.setdefault(person.pk, person)
    return list(people.values())


@require_http_methods(["GET", "POST"])
def actions_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The actions agreed: who (agency and person) does what by when."""
    user, detail = _recordable(request, pk)
    form = ActionForm(
        request.POST if request.method == "POST" else None, people=_people(user, detail)
    )
    if request.method == "POST" and form.is_valid():
        try:
            action_create(user=user, discussion=detail.discussion, **form.values())
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Action added")
            return redirect("web:actions", pk=pk)
    errors = form.first_errors()
    return render(
        request,
        "web/actions.html",
        _context(
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
    """An action's owner (or those who record its discussion) updates its status."""
    user = current_user(request)
    action: Action = action_get(user=user, pk=pk)
    if not may_update_action(user, action):
        raise Http404
    form = ActionUpdateForm(
        request.POST if request.method == "POST" else None,
        initial={"status": action.status, "completion_note": action.completion_note},
    )
    if request.method == "POST" and form.is_valid():
        try:
            action_update(
                user=user,
                action=action,
                status=form.cleaned_data["status"],
                completion_note=form.cleaned_data["completion_note"],
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Action updated")
            if may_record(user, action.discussion):
                return redirect("web:actions", pk=action.discussion_id)
            return redirect("web:discussion", pk=action.discussion_id)
    return render(
        request,
        "web/action.html",
        {
            "action": action,
            "discussion": action.discussion,
            "agency": vocabulary.ATTENDEES.get(action.agency_code, action.agency_code),
            "form": form,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
            "now": timezone.now(),
        },
    )


# --- concluding ------------------------------------------------------------------------


def _problem_summary(pk: int, errors: list[tuple[str | None, str]]) -> list[dict[str, str]]:
    """The services' problems, each linked to the page and field where it is put right."""
    summary = []
    for field, message in errors:
        target = PUT_RIGHT.get(field or "")
        item = {"text": message}
        if target:
            item["href"] = f"{reverse(target[0], args=[pk])}#{target[1]}"
        summary.append(item)
    return summary


@require_http_methods(["GET", "POST"])
def conclude_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair concludes the discussion once everything is recorded; its clocks start."""
    user = current_user(request)
    detail = discussion_get(user=user, pk=pk)
    discussion = detail.discussion
    if user.pk != discussion.chair_id:
        raise Http404
    error_summary: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            discussion_conclude(user=user, discussion=discussion, now=timezone.now())
        except Problem as problem:
            error_summary = _problem_summary(pk, problem.errors)
        else:
            messages.success(request, "Discussion concluded: its statutory clocks have started")
            return redirect("web:conclude", pk=pk)
    elif discussion.status == DiscussionStatus.STARTED:
        error_summary = _problem_summary(pk, conclusion_problems(discussion=discussion))
    return render(
        request,
        "web/conclude.html",
        _context(
            user,
            detail,
            "web:conclude",
            error_summary=error_summary,
            started=discussion.status == DiscussionStatus.STARTED,
            now=timezone.now(),
        ),
    )
