"""Account administration, for an authority's administrators (without Django's admin).

Views parse the form, call one service or selector and render. An administrator finds
the accounts of their authority, creates them, changes who someone is, where they work
and their role, deactivates and reactivates them, resets a second factor, ends a lockout,
and names each team's manager. Anyone else, and any account of another authority, is
"not found". Closing an account, resetting its second factor, and creating or changing
one ask for a recent second factor first.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from strategise.access import may_administer
from strategise.organisations.models import User
from strategise.organisations.selectors import (
    account_detail,
    account_of,
    accounts_find,
    organisation_of,
    team_detail,
)
from strategise.organisations.services import (
    account_change,
    account_create,
    account_deactivate,
    account_reactivate,
    account_unlock,
    second_factor_reset,
    team_manager_set,
)
from strategise.problems import Problem
from strategise.web.account.verification import posted, require_recent_second_factor
from strategise.web.administration.forms import AccountForm, TeamManagerForm
from strategise.web.users import current_user


def _administrator(request: HttpRequest) -> User:
    user = current_user(request)
    if not may_administer(user):
        raise Http404("No such page")
    return user


@require_GET
def accounts_page(request: HttpRequest) -> HttpResponse:
    """The authority's accounts, or those matching a search."""
    user = _administrator(request)
    found = accounts_find(user=user, text=request.GET.get("text", ""))
    return render(request, "web/administration/accounts.html", {"found": found})


def _account_page(
    request: HttpRequest, user: User, pk: int, problem: Problem | None = None
) -> HttpResponse:
    detail = account_detail(user=user, pk=pk, now=timezone.now())
    summary = [{"text": message} for _, message in problem.errors] if problem else []
    return render(
        request,
        "web/administration/account.html",
        {
            "detail": detail,
            "account": detail.account,
            "now": timezone.now(),
            "error_summary": summary,
            "own": detail.account.pk == user.pk,
        },
        status=400 if problem else 200,
    )


@require_GET
def account_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One account: who, where, role, second factors, lockout, and what can be done."""
    return _account_page(request, _administrator(request), pk)


def _form_page(
    request: HttpRequest, form: AccountForm, account: User | None = None
) -> HttpResponse:
    return render(
        request,
        "web/administration/account_form.html",
        {
            "form": form,
            "account": account,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
        },
    )


@require_http_methods(["GET", "POST"])
@require_recent_second_factor(when=posted("save"))
def account_new(request: HttpRequest) -> HttpResponse:
    """Create an account; the person then sets their password from the sign-in page."""
    user = _administrator(request)
    form = AccountForm(
        request.POST if request.method == "POST" else None, organisation=organisation_of(user=user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            account = account_create(
                user=user, username=form.cleaned_data["username"], details=form.details()
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(
                request,
                f"Account {account.username} created. To sign in, {account} chooses a password "
                f"with “Forgotten your password?” on the sign-in page, using {account.email}",
            )
            return redirect("web:account-admin", pk=account.pk)
    return _form_page(request, form)


@require_http_methods(["GET", "POST"])
@require_recent_second_factor(when=posted("save"))
def account_change_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Change someone's names, email, agency, team, role or job title."""
    user = _administrator(request)
    account = account_of(user=user, pk=pk)
    form = AccountForm(
        request.POST if request.method == "POST" else None,
        organisation=organisation_of(user=user),
        account=account,
    )
    if request.method == "POST" and form.is_valid():
        try:
            account_change(user=user, account=account, details=form.details())
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, f"{account.username}: details saved")
            return redirect("web:account-admin", pk=pk)
    return _form_page(request, form, account)


def _action(
    service: Callable[..., object], done: Callable[[User], str]
) -> Callable[[HttpRequest, int], HttpResponse]:
    """A button on the account page: POST does it, then back to the page (as GET does)."""

    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        user = _administrator(request)
        account = account_of(user=user, pk=pk)
        if request.method == "POST":
            try:
                service(user=user, account=account)
            except Problem as problem:
                return _account_page(request, user, pk, problem)
            messages.success(request, done(account))
        return redirect("web:account-admin", pk=pk)

    return view


# A second factor from the last 15 minutes first: after it, the page, to press again.
account_deactivate_button = require_recent_second_factor(
    _action(account_deactivate, lambda a: f"{a.username} deactivated: their sessions have ended")
)
account_reactivate_button = require_recent_second_factor(
    _action(account_reactivate, lambda a: f"{a.username} reactivated")
)
second_factor_reset_button = require_recent_second_factor(
    _action(
        second_factor_reset,
        lambda a: (
            f"{a.username}: second factor reset. They set up a new one when they next sign in"
        ),
    )
)
account_unlock_button = _action(
    account_unlock, lambda a: f"{a.username} unlocked: they can sign in again"
)


@require_GET
def teams_page(request: HttpRequest) -> HttpResponse:
    """The authority's teams and who manages each."""
    user = _administrator(request)
    return render(
        request, "web/administration/teams.html", {"organisation": organisation_of(user=user)}
    )


@require_http_methods(["GET", "POST"])
def team_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Name a team's manager, who is alerted when a team member's clock is breached."""
    user = _administrator(request)
    detail = team_detail(user=user, pk=pk)
    form = TeamManagerForm(
        request.POST if request.method == "POST" else None,
        candidates=detail.candidates,
        current=detail.team.manager,
    )
    if request.method == "POST" and form.is_valid():
        try:
            team = team_manager_set(user=user, team=detail.team, manager=form.chosen())
        except Problem as problem:
            form.add_problem(problem)
        else:
            who = str(team.manager) if team.manager else "no one"
            messages.success(request, f"{team.name}: manager is now {who}")
            return redirect("web:teams")
    return render(
        request,
        "web/administration/team.html",
        {
            "detail": detail,
            "form": form,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
        },
    )
