"""Strategy discussion requests: raise one, and read it with its frozen triage answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from strategise.access import (
    authority_of,
    can_raise_requests,
    may_close_request,
    may_convene,
    may_withdraw_request,
)
from strategise.cases.family import adults_around
from strategise.cases.selectors import child_search, children_for_request
from strategise.organisations.models import User
from strategise.organisations.selectors import authority_directory
from strategise.policy import get_profile, vocabulary
from strategise.problems import Problem
from strategise.requests.models import RequestStatus, StrategyRequest
from strategise.requests.selectors import request_get
from strategise.requests.services import request_close, request_create, request_withdraw
from strategise.web.govuk import date_input_items
from strategise.web.requests.forms import PERPETRATOR_ROWS, EndForm, RequestForm
from strategise.web.users import current_user

# The name of the "Find child" button: it re-renders the form with more children to choose.
FIND_BUTTON = "find_child"


def _pks(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit()]


@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    """The request form; "Find another child" adds children to it without losing anything."""
    user = current_user(request)
    if not can_raise_requests(user):
        raise Http404
    data = request.POST if request.method == "POST" else None
    start = _pks([request.GET.get("child", "")])
    children = children_for_request(
        user=user, pks=_pks(request.POST.getlist("offered")), family_of=start[0] if start else None
    )
    initial = {"children": [str(start[0])]} if start else None
    workers = authority_directory(user=user).users_of_kind("childrens_social_care")
    adults = adults_around(user=user, children=children)
    form = RequestForm(data, children=children, workers=workers, adults=adults, initial=initial)
    error_summary: list[dict[str, str]] = []
    errors: dict[str, str] = {}
    found = None
    searched = ""
    # Typing a name in "Find another child" and pressing Enter (or any button) finds them:
    # the box is emptied after each search, so text in it is a search not yet run.
    if data is not None and (FIND_BUTTON in data or form.find_text()):
        searched = form.find_text()
        if searched:
            found = child_search(user=user, text=searched)
            offered = {child.pk for child in children}
            children += [child for child in found if child.pk not in offered]
            emptied: QueryDict = data.copy()
            emptied["find"] = ""
            adults = adults_around(user=user, children=children)
            form = RequestForm(emptied, children=children, workers=workers, adults=adults)
        else:
            errors = {"find": "Enter a name, other name or reference to find a child"}
            error_summary = [{"text": errors["find"], "href": "#find"}]
    elif data is not None:
        if form.is_valid():
            try:
                created = request_create(
                    user=user,
                    **form.request_values(),
                    now=timezone.now(),
                    token=form.cleaned_data["token"],
                )
            except Problem as problem:
                form.add_problem(problem)
            else:
                form.language_saved(request, created.profile)
                return redirect("web:request", pk=created.pk)
        errors = form.first_errors()
        error_summary = form.error_summary()
    date_error = bool(errors.get("identified_date") or errors.get("identified_at"))
    return render(
        request,
        "web/requests/request_form.html",
        {
            "form": form,
            "children": children,
            "found": found,
            "errors": errors,
            "error_summary": error_summary,
            "identified_date_items": date_input_items(form, "identified_date", date_error),
            "perpetrator_rows": range(1, PERPETRATOR_ROWS + 1),
            "adults": form.adults,
            "find_button": FIND_BUTTON,
            "searched": searched,
            "language": form.language(authority_of(user).profile),
        },
    )


@require_GET
def request_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A request: its children and concerns, and the triage answer with every source."""
    user = current_user(request)
    detail = request_get(user=user, pk=pk)
    triage = detail.request.triage
    hold_by = triage["hold_by"]
    return render(
        request,
        "web/requests/request.html",
        {
            "detail": detail,
            "strategy_request": detail.request,
            "triage": triage,
            "profile_title": get_profile(detail.request.profile).title,
            "deadline": next((t for t in triage["timescales"] if t["hold_by"] == hold_by), None),
            "overdue": (
                detail.request.hold_by is not None
                and detail.request.hold_by < timezone.now()
                and detail.request.status == RequestStatus.AWAITING_CONVENING
            ),
            "may_convene": may_convene(user, detail.request)
            and detail.request.status == RequestStatus.AWAITING_CONVENING,
            "may_close": may_close_request(user, detail.request)
            and detail.request.status == RequestStatus.AWAITING_CONVENING,
            "may_withdraw": may_withdraw_request(user, detail.request)
            and detail.request.status == RequestStatus.AWAITING_CONVENING,
            "vocabulary": vocabulary,
        },
    )


@dataclass(frozen=True)
class Ending:
    """Closing (a manager's view that no discussion is needed) or withdrawing: one page."""

    allowed: Callable[[User, StrategyRequest], bool]
    service: Callable[..., StrategyRequest]
    title: str
    label: str
    button: str
    done: str


ENDINGS = {
    "close": Ending(
        allowed=may_close_request,
        service=request_close,
        title="Close the request without a strategy discussion",
        label="Why is no strategy discussion needed?",
        button="Close the request",
        done="Request closed without a strategy discussion",
    ),
    "withdraw": Ending(
        allowed=may_withdraw_request,
        service=request_withdraw,
        title="Withdraw the request",
        label="Why is the request being withdrawn?",
        button="Withdraw the request",
        done="Request withdrawn",
    ),
}


def _end_page(request: HttpRequest, pk: int, ending: str) -> HttpResponse:
    user = current_user(request)
    detail = request_get(user=user, pk=pk)
    words = ENDINGS[ending]
    if not words.allowed(user, detail.request):
        raise Http404
    form = EndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            words.service(
                user=user,
                request=detail.request,
                reason=form.cleaned_data["reason"],
                now=timezone.now(),
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, words.done)
            return redirect("web:request", pk=pk)
    note = get_profile(detail.request.profile).notes.get("close_without_discussion")
    return render(
        request,
        "web/requests/request_end.html",
        {
            "strategy_request": detail.request,
            "words": words,
            "note": note if ending == "close" else None,
            "open": detail.request.status == RequestStatus.AWAITING_CONVENING,
            "form": form,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
        },
    )


@require_http_methods(["GET", "POST"])
def request_close_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A team manager or above closes a request without a discussion, with the reason."""
    return _end_page(request, pk, "close")


@require_http_methods(["GET", "POST"])
def request_withdraw_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever raised a request (or a manager) withdraws it, with the reason."""
    return _end_page(request, pk, "withdraw")
