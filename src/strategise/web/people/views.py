"""The people around a child: find, add, link, view and change adults; siblings; a
household; a child's identifiers.

Views parse the form, call one selector or service, and render. Who may see or change
which record is decided in ``strategise.access`` (through the selectors and services):
a record outside it is "not found".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from strategise.access import can_raise_requests, may_change_adult, may_change_child
from strategise.cases.adults import (
    adult_create,
    adult_link,
    adult_problems,
    adult_unlink,
    adult_update,
    child_identifier_problems,
    child_identifiers_update,
    sibling_link,
    sibling_unlink,
)
from strategise.cases.family import (
    adult_detail,
    adult_get,
    adult_possible_duplicates,
    adult_search,
    allocation_choices,
    child_adult_links,
    child_sibling,
    household_detail,
)
from strategise.cases.models import Adult, Child
from strategise.cases.selectors import child_get, child_search
from strategise.organisations.models import User
from strategise.policy.identifiers import nhs_number_shown
from strategise.problems import Problem
from strategise.web.govuk import GovukForm, date_input_items, search_page
from strategise.web.people.forms import (
    AdultChangeForm,
    AdultForm,
    AdultSearchForm,
    AdultUnlinkForm,
    IdentifiersForm,
    LinkForm,
    RemoveLinkForm,
    SiblingForm,
)
from strategise.web.users import current_user


def _pk(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _adult_initial(adult: Adult) -> dict[str, object]:
    initial: dict[str, object] = {
        name: getattr(adult, name)
        for name in (
            "first_name",
            "last_name",
            "aliases",
            "former_names",
            "gender",
            "address",
            "police_reference",
            "occupation",
            "notes",
            "version",
        )
    }
    initial["nhs_number"] = nhs_number_shown(adult.nhs_number)
    initial["works_with_children"] = "yes" if adult.works_with_children else "no"
    if adult.date_of_birth:
        born = adult.date_of_birth
        initial.update(
            date_of_birth_day=str(born.day),
            date_of_birth_month=str(born.month),
            date_of_birth_year=str(born.year),
        )
    return initial


@require_GET
def adult_list(request: HttpRequest) -> HttpResponse:
    """Find an adult by name, other or former name, or date of birth."""
    user = current_user(request)
    return search_page(
        request,
        AdultSearchForm(request.GET),
        lambda **asked: adult_search(user=user, **asked),
        "web/people/adults.html",
        may_add=can_raise_requests(user),
    )


@require_http_methods(["GET", "POST"])
def adult_new(request: HttpRequest) -> HttpResponse:
    """Add an adult (linked, from a child's page, to that child), warning first about
    adults already recorded who may be the same person."""
    user = current_user(request)
    if not can_raise_requests(user):
        raise Http404
    child_pk = _pk(request.POST.get("child") or request.GET.get("child"))
    child = child_get(user=user, pk=child_pk) if child_pk else None
    if child is not None and not may_change_child(user, child):
        raise Http404
    form = AdultForm(request.POST or None, linked=child is not None)
    duplicates: list[Adult] = []
    if request.method == "POST" and form.is_valid():
        values = form.values()
        duplicates = adult_possible_duplicates(
            user=user,
            first_name=values["first_name"],
            last_name=values["last_name"],
            date_of_birth=values["date_of_birth"],
        )
        if form.duplicates_confirmed(duplicates):
            try:
                adult = adult_create(
                    user=user,
                    values=values,
                    today=timezone.localdate(),
                    child=child,
                    relationship=form.cleaned_data["relationship"],
                    parental_responsibility=form.cleaned_data["parental_responsibility"],
                    same_household=form.cleaned_data["same_household"],
                    token=form.cleaned_data["token"],
                )
            except Problem as problem:
                form.add_problem(problem)
            else:
                messages.success(request, f"{adult.full_name} added")
                return (
                    redirect("web:child", pk=child.pk)
                    if child
                    else redirect("web:adult", pk=adult.pk)
                )
    elif request.method == "POST":
        form.add_errors_once(adult_problems(form.values(), timezone.localdate()))
    errors = form.first_errors()
    return render(
        request,
        "web/people/adult_form.html",
        {
            "form": form,
            "child": child,
            "duplicates": duplicates,
            "errors": errors,
            "error_summary": form.error_summary(),
            "date_of_birth_items": date_input_items(
                form, "date_of_birth", bool(errors.get("date_of_birth"))
            ),
        },
    )


@require_GET
def adult_page(request: HttpRequest, pk: int) -> HttpResponse:
    """An adult's details, and how they are related to each child the user may see."""
    user = current_user(request)
    detail = adult_detail(user=user, pk=pk)
    return render(
        request,
        "web/people/adult.html",
        {
            "detail": detail,
            "adult": detail.adult,
            "nhs_number": nhs_number_shown(detail.adult.nhs_number),
            "may_change": may_change_adult(user, detail.adult),
        },
    )


@require_http_methods(["GET", "POST"])
def adult_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an adult's record (refused if someone else changed it meanwhile)."""
    user = current_user(request)
    adult = adult_get(user=user, pk=pk)
    if not may_change_adult(user, adult):
        raise Http404
    form = AdultChangeForm(request.POST or None, initial=_adult_initial(adult))
    if request.method == "POST" and form.is_valid():
        try:
            adult_update(
                user=user,
                adult=adult,
                values=form.values(),
                version=form.cleaned_data["version"],
                today=timezone.localdate(),
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Changes saved")
            return redirect("web:adult", pk=adult.pk)
    elif request.method == "POST":
        form.add_errors_once(adult_problems(form.values(), timezone.localdate()))
    errors = form.first_errors()
    return render(
        request,
        "web/people/adult_change.html",
        {
            "adult": adult,
            "form": form,
            "errors": errors,
            "error_summary": form.error_summary(),
            "date_of_birth_items": date_input_items(
                form, "date_of_birth", bool(errors.get("date_of_birth"))
            ),
        },
    )


def _changeable_child(request: HttpRequest, pk: int) -> tuple[User, Child]:
    """The signed-in user and the child ``pk``, if the user may change the child's record
    (not found otherwise)."""
    user = current_user(request)
    child = child_get(user=user, pk=pk)
    if not may_change_child(user, child):
        raise Http404
    return user, child


def _child_form_page(
    request: HttpRequest,
    child: Child,
    form: GovukForm,
    act: Callable[[], str],
    template: str,
    **context: Any,
) -> HttpResponse:
    """A form about people around ``child`` (link someone found, remove a link): a valid
    post calls ``act``, which writes and says what it did (or raises the problem to show),
    then the child's page."""
    if request.method == "POST" and form.is_valid():
        try:
            done = act()
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, done)
            return redirect("web:child", pk=child.pk)
    return render(
        request,
        template,
        {
            "child": child,
            "form": form,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
            **context,
        },
    )


def _find(request: HttpRequest) -> str:
    return str(request.POST.get("find") or request.GET.get("find") or "").strip()


@require_http_methods(["GET", "POST"])
def child_adults(request: HttpRequest, pk: int) -> HttpResponse:
    """Link an adult already recorded to a child: find them, then say how they are
    related (or add them, if they are not recorded)."""
    user, child = _changeable_child(request, pk)
    text = _find(request)
    found = adult_search(user=user, text=text) if text else None
    form = LinkForm(request.POST or None, adults=found or [])

    def link() -> str:
        adult_link(
            user=user,
            adult=form.chosen(),
            child=child,
            relationship=form.cleaned_data["relationship"],
            parental_responsibility=form.cleaned_data["parental_responsibility"],
            same_household=form.cleaned_data["same_household"],
        )
        return f"{form.chosen().full_name} linked to {child.full_name}"

    page = "web/people/child_adults.html"
    return _child_form_page(request, child, form, link, page, found=found, find=text)


@require_http_methods(["GET", "POST"])
def child_siblings(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a brother or sister of a child (who may live elsewhere)."""
    user, child = _changeable_child(request, pk)
    text = _find(request)
    found = (
        [other for other in child_search(user=user, text=text) if other.pk != child.pk]
        if text
        else None
    )
    form = SiblingForm(request.POST or None, children=found or [])

    def link() -> str:
        sibling = form.children[form.cleaned_data["sibling"]]
        sibling_link(user=user, child=child, sibling=sibling)
        return f"{sibling.full_name} recorded as a sibling"

    page = "web/people/child_siblings.html"
    return _child_form_page(request, child, form, link, page, found=found, find=text)


REMOVE = "web/people/link_remove.html"


def _already_removed(request: HttpRequest, child: Child) -> HttpResponse:
    """A link no longer there: removed meanwhile (or by this form, posted twice)."""
    if request.method != "POST":
        raise Http404
    messages.info(request, "That link has already been removed")
    return redirect("web:child", pk=child.pk)


@require_http_methods(["GET", "POST"])
def child_adult_remove(request: HttpRequest, pk: int, adult: int) -> HttpResponse:
    """Remove one of an adult's relationships to a child, saying why."""
    user, child = _changeable_child(request, pk)
    links = child_adult_links(user=user, child=child, adult_pk=adult)
    posted = str(request.POST.get("link", ""))
    if not links or (posted.isdigit() and posted not in {str(link.pk) for link in links}):
        return _already_removed(request, child)
    person = links[0].adult
    if not may_change_adult(user, person):
        raise Http404
    asked = next(
        (str(link.pk) for link in links if link.relationship == request.GET.get("relationship")),
        str(links[0].pk) if len(links) == 1 else None,
    )
    form = AdultUnlinkForm(request.POST or None, links=links, initial={"link": asked})

    def remove() -> str:
        link = form.chosen()
        adult_unlink(user=user, link=link, reason=form.cleaned_data["reason"])
        return (
            f"{person.full_name or 'The adult'} is no longer recorded as "
            f"{link.get_relationship_display().lower()} of {child.full_name}"
        )

    return _child_form_page(request, child, form, remove, REMOVE, adult=person, links=links)


@require_http_methods(["GET", "POST"])
def child_sibling_remove(request: HttpRequest, pk: int, sibling: int) -> HttpResponse:
    """Remove the record that a child is a brother or sister of another, saying why."""
    user, child = _changeable_child(request, pk)
    other = child_sibling(user=user, child=child, pk=sibling)
    if other is None:
        return _already_removed(request, child)
    if not may_change_child(user, other):
        raise Http404
    form = RemoveLinkForm(request.POST or None)

    def remove() -> str:
        sibling_unlink(user=user, child=child, sibling=other, reason=form.cleaned_data["reason"])
        return f"{other.full_name} is no longer recorded as a sibling of {child.full_name}"

    return _child_form_page(request, child, form, remove, REMOVE, sibling=other)


@require_http_methods(["GET", "POST"])
def child_identifiers(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a child's NHS number, UPN, police reference, former names, and who holds
    their case (refused if someone else changed the record meanwhile)."""
    user, child = _changeable_child(request, pk)
    allocation = allocation_choices(user=user)
    form = IdentifiersForm(
        request.POST or None,
        workers=allocation.workers,
        teams=allocation.teams,
        initial={
            "nhs_number": nhs_number_shown(child.nhs_number),
            "upn": child.upn,
            "police_reference": child.police_reference,
            "former_names": child.former_names,
            "allocated_worker": str(child.allocated_worker_id or ""),
            "allocated_team": str(child.allocated_team_id or ""),
            "version": child.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            child_identifiers_update(
                user=user, child=child, values=form.values(), version=form.cleaned_data["version"]
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Changes saved")
            return redirect("web:child", pk=child.pk)
    elif request.method == "POST":
        form.add_errors_once(child_identifier_problems(child, form.values()))
    return render(
        request,
        "web/people/child_identifiers.html",
        {
            "child": child,
            "form": form,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
        },
    )


@require_GET
def household_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Everyone in a household that the user may see, with their addresses."""
    user = current_user(request)
    detail = household_detail(user=user, pk=pk)
    return render(request, "web/people/household.html", {"detail": detail})
