"""Children: find a child, add a child, a child's page.

Views parse the form, call one selector or service, and render. Which children a user may
see is decided by the selectors (a child outside it is "not found").
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from strategise.access import can_raise_requests, may_change_child, may_import_people
from strategise.cases.models import Child
from strategise.cases.selectors import (
    child_detail,
    child_get,
    child_possible_duplicates,
    child_search,
)
from strategise.cases.services import child_census_update, child_create, child_problems
from strategise.network.selectors import groups_of_child
from strategise.policy.identifiers import nhs_number_shown
from strategise.problems import Problem
from strategise.web.children.forms import (
    CIRCUMSTANCES,
    ChildCensusForm,
    ChildForm,
    ChildSearchForm,
)
from strategise.web.govuk import date_input_items, search_page
from strategise.web.users import current_user


def _pk(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@require_GET
def child_list(request: HttpRequest) -> HttpResponse:
    """Find a child by name, alias, reference or date of birth."""
    user = current_user(request)
    return search_page(
        request,
        ChildSearchForm(request.GET),
        lambda **asked: child_search(user=user, **asked),
        "web/children/children.html",
        may_add=can_raise_requests(user),
        may_import=may_import_people(user),
    )


@require_http_methods(["GET", "POST"])
def child_new(request: HttpRequest) -> HttpResponse:
    """Add a child, warning first about children already recorded who may be the same."""
    user = current_user(request)
    if not can_raise_requests(user):
        raise Http404
    household_pk = _pk(request.POST.get("household_of") or request.GET.get("household_of"))
    household_of = child_get(user=user, pk=household_pk) if household_pk else None
    form = ChildForm(request.POST or None, household_of=household_of)
    duplicates: list[Child] = []
    if request.method == "POST" and form.is_valid():
        duplicates = child_possible_duplicates(
            user=user,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            date_of_birth=form.born_on(),
        )
        if form.duplicates_confirmed(duplicates):
            try:
                child = child_create(
                    user=user,
                    values=form.values(),
                    same_household_as=form.same_household_as(),
                    today=timezone.localdate(),
                )
            except Problem as problem:
                form.add_problem(problem)
            else:
                return redirect("web:child", pk=child.pk)
    elif request.method == "POST":
        form.add_errors_once(child_problems(form.typed(), timezone.localdate()))
    errors = form.first_errors()
    return render(
        request,
        "web/children/child_form.html",
        {
            "form": form,
            "household_of": household_of,
            "duplicates": duplicates,
            "errors": errors,
            "error_summary": form.error_summary(),
            "date_of_birth_items": date_input_items(
                form, "date_of_birth", bool(errors.get("date_of_birth"))
            ),
            "expected_date_items": date_input_items(
                form, "expected_date", bool(errors.get("expected_date"))
            ),
            "circumstances": CIRCUMSTANCES,
        },
    )


@require_GET
def child_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A child's details, their household, and their requests and discussions."""
    user = current_user(request)
    detail = child_detail(user=user, pk=pk)
    return render(
        request,
        "web/children/child.html",
        {
            "detail": detail,
            "child": detail.child,
            "may_raise": can_raise_requests(user),
            "may_change": may_change_child(user, detail.child),
            "nhs_number": nhs_number_shown(detail.child.nhs_number),
            "groups": groups_of_child(user=user, child=detail.child),
        },
    )


@require_http_methods(["GET", "POST"])
def child_census(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the local case reference, sex and ethnicity that the CIN census takes."""
    user = current_user(request)
    child = child_get(user=user, pk=pk)
    if not may_change_child(user, child):
        raise Http404
    form = ChildCensusForm(
        request.POST or None,
        initial={
            "local_reference": child.local_reference,
            "sex": child.sex,
            "ethnicity": child.ethnicity,
            "version": child.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            child_census_update(
                user=user,
                child=child,
                values=form.values(),
                version=form.cleaned_data["version"],
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            return redirect("web:child", pk=child.pk)
    return render(
        request,
        "web/children/child_census.html",
        {
            "child": child,
            "form": form,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
        },
    )
