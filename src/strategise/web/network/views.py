"""The network around children, and the patterns across cases.

Views parse the form, call one selector or service, and render. Who may see or change
what is decided in ``strategise.access`` (through the selectors and services).
"""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from strategise.access import (
    may_record_network,
    may_see_patterns,
    may_set_network,
    visible_adults,
    visible_children,
)
from strategise.cases.models import Adult, Child
from strategise.network.models import Entity
from strategise.network.selectors import (
    Network,
    NetworkFilter,
    discussion_for_network,
    entities_of_authority,
    network_of_child,
    network_of_discussion,
    network_of_request,
    network_setting_get,
    pattern_alert_get,
    pattern_alerts,
    request_for_network,
)
from strategise.network.services import (
    EntityValues,
    LinkValues,
    SettingValues,
    network_link_add,
    network_link_problems,
    network_setting_set,
    pattern_alert_dismiss,
    pattern_request_facts,
    pattern_request_raise,
)
from strategise.policy.network import SURENESS_NAMES
from strategise.problems import Problem, Problems
from strategise.requests.models import StrategyRequest
from strategise.web.govuk import date_input_items
from strategise.web.network.forms import (
    DismissForm,
    LinkForm,
    NetworkFilterForm,
    RaiseForm,
    SettingForm,
)
from strategise.web.network.svg import drawing
from strategise.web.users import current_user


def _filter(request: HttpRequest) -> tuple[NetworkFilterForm, NetworkFilter]:
    form = NetworkFilterForm(request.GET)
    if form.searched and form.is_valid():
        data = form.cleaned_data
        return form, NetworkFilter(
            start=data["start"], end=data["end"], kinds=tuple(data.get("kinds") or ())
        )
    return form, NetworkFilter()


def _render(
    request: HttpRequest,
    network: Network,
    form: NetworkFilterForm,
    heading: str,
    caption: str,
    add: str = "",
) -> HttpResponse:
    """The network page; ``add`` is where this page adds to the network (if it does)."""
    errors = form.first_errors() if form.searched else {}
    return render(
        request,
        "web/network/network.html",
        {
            "network": network,
            "drawing": drawing(network),
            "heading": heading,
            "caption": caption,
            "add": add,
            "form": form,
            "errors": errors,
            "error_summary": form.error_summary() if form.searched else [],
            "start_items": date_input_items(form, "start", bool(errors.get("start"))),
            "end_items": date_input_items(form, "end", bool(errors.get("end"))),
            "kinds_chosen": request.GET.getlist("kinds"),
        },
    )


@require_GET
def child_network(request: HttpRequest, pk: int) -> HttpResponse:
    """The network around one child, from every request the user may see."""
    form, only = _filter(request)
    network = network_of_child(user=current_user(request), pk=pk, only=only)
    child = network.children[0]
    return _render(request, network, form, f"The network around {child.full_name}", "Child")


@require_GET
def discussion_network(request: HttpRequest, pk: int) -> HttpResponse:
    """The network of a discussion (every child it covers, with their references)."""
    form, only = _filter(request)
    user = current_user(request)
    network = network_of_discussion(user=user, pk=pk, only=only)
    network.may_add = network.request is not None and may_record_network(user, network.request)
    add = reverse("web:discussion-network-add", args=[pk])
    return _render(request, network, form, "The network", f"Strategy discussion {pk}", add)


@require_GET
def request_network(request: HttpRequest, pk: int) -> HttpResponse:
    """The network recorded on a request."""
    form, only = _filter(request)
    user = current_user(request)
    network = network_of_request(user=user, pk=pk, only=only)
    network.may_add = network.request is not None and may_record_network(user, network.request)
    add = reverse("web:network-link-new", args=[pk])
    return _render(request, network, form, "The network", f"Request {pk}", add)


def _chosen[M: (Entity, Adult, Child)](model: type[M], pks: set[int], value: str) -> M | None:
    if value and value.isdigit() and int(value) in pks:
        return model.objects.get(pk=int(value))
    return None


@require_http_methods(["GET", "POST"])
def link_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a person, place, vehicle or online account to a request's network."""
    user = current_user(request)
    strategy_request, children = request_for_network(user=user, pk=pk)
    return _link_form(
        request,
        strategy_request,
        children,
        caption=f"Request {strategy_request.pk}",
        back=reverse("web:request-network", args=[strategy_request.pk]),
    )


@require_http_methods(["GET", "POST"])
def discussion_link_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a person, place, vehicle or online account to the network from a discussion's
    network page: recorded on the discussion's request (the same service, access and
    audit as from the request's), and back to the discussion's network."""
    user = current_user(request)
    discussion, children = discussion_for_network(user=user, pk=pk)
    return _link_form(
        request,
        discussion.request,
        children,
        caption=f"Strategy discussion {discussion.pk}",
        back=reverse("web:discussion-network", args=[discussion.pk]),
    )


def _link_form(
    request: HttpRequest,
    strategy_request: StrategyRequest,
    children: list[Child],
    *,
    caption: str,
    back: str,
) -> HttpResponse:
    """The form that adds to ``strategy_request``'s network; ``back`` is the network page
    it came from (where it returns once added, and its Cancel link)."""
    user = current_user(request)
    if not may_record_network(user, strategy_request):
        raise Http404
    existing = entities_of_authority(user=user, request=strategy_request)
    adults = list(
        visible_adults(user)
        .filter(local_authority_id=strategy_request.local_authority_id)
        .order_by("last_name", "first_name", "pk")[:500]
    )
    peers = list(
        visible_children(user)
        .filter(local_authority_id=strategy_request.local_authority_id)
        .order_by("last_name", "first_name", "pk")[:500]
    )
    form = LinkForm(
        request.POST or None,
        children=[(str(child.pk), child.full_name) for child in children],
        existing=[(str(e.pk), f"{e.label} ({e.get_kind_display().lower()})") for e in existing],
        adults=[(str(a.pk), a.full_name) for a in adults],
        peers=[(str(c.pk), _peer_name(c)) for c in peers],
        initial={"child": str(children[0].pk)} if len(children) == 1 else None,
    )
    if request.method == "POST":
        valid = form.is_valid()
        data = form.cleaned_data
        entity_pks = {e.pk for e in existing}
        adult_pks = {a.pk for a in adults}
        entity = EntityValues(
            kind=data.get("kind", ""),
            existing=_chosen(Entity, entity_pks, data.get("existing", "")),
            adult=_chosen(Adult, adult_pks, data.get("adult", "")),
            peer=_chosen(Child, {c.pk for c in peers}, data.get("peer", "")),
            young_person=bool(data.get("young_person")),
            name=data.get("name", ""),
            date_of_birth=data.get("date_of_birth"),
            address=data.get("address", ""),
            place_kind=data.get("place_kind", ""),
            safety=data.get("safety", ""),
            registration=data.get("registration", ""),
            description=data.get("description", ""),
            platform=data.get("platform", ""),
            handle=data.get("handle", ""),
            used_by=_chosen(Adult, adult_pks, data.get("used_by", "")),
        )
        link = LinkValues(
            child=next((c for c in children if str(c.pk) == data.get("child")), None),
            kind=data.get("link_kind", ""),
            since=data.get("since"),
            until=data.get("until"),
            agency=data.get("agency", ""),
            confidence=data.get("confidence", ""),
            note=data.get("note", ""),
        )
        if not valid:
            # Every problem at once: the service's checks beside the form's own.
            problems = Problems()
            problems.errors = network_link_problems(
                user=user, request=strategy_request, entity=entity, link=link
            )
            form.add_problem_once(problems)
        else:
            try:
                network_link_add(
                    user=user,
                    request=strategy_request,
                    entity=entity,
                    link=link,
                    now=timezone.now(),
                    token=data["token"],
                )
            except Problem as problem:
                form.add_problem(problem)
            else:
                messages.success(request, "Added to the network")
                return redirect(back)
    errors = form.first_errors()
    return render(
        request,
        "web/network/link_form.html",
        {
            "form": form,
            "strategy_request": strategy_request,
            "children": children,
            "caption": caption,
            "back": back,
            "errors": errors,
            "error_summary": form.error_summary(),
            "date_of_birth_items": date_input_items(
                form, "date_of_birth", bool(errors.get("date_of_birth"))
            ),
            "since_items": date_input_items(form, "since", bool(errors.get("since"))),
            "until_items": date_input_items(form, "until", bool(errors.get("until"))),
        },
    )


def _peer_name(child: Child) -> str:
    """A child as the peers' list names them: with their date of birth, to tell apart."""
    born = f", born {child.date_of_birth:%-d %B %Y}" if child.date_of_birth else ""
    return f"{child.full_name}{born}"


@require_GET
def alert_list(request: HttpRequest) -> HttpResponse:
    """The patterns across cases of the user's authority (exploitation lead, managers)."""
    user = current_user(request)
    if not may_see_patterns(user):
        raise Http404
    return render(
        request,
        "web/network/alerts.html",
        {
            "alerts": pattern_alerts(user=user),
            "sureness": SURENESS_NAMES,
            "may_set": may_set_network(user),
        },
    )


@require_GET
def alert_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One pattern across cases, with its evidence."""
    detail = pattern_alert_get(user=current_user(request), pk=pk)
    return render(
        request,
        "web/network/alert.html",
        {"detail": detail, "alert": detail.alert, "sureness": SURENESS_NAMES},
    )


@require_http_methods(["GET", "POST"])
def alert_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    """Dismiss an alert as a false match, with the reason."""
    user = current_user(request)
    detail = pattern_alert_get(user=user, pk=pk)
    if not detail.may_handle:
        raise Http404
    form = DismissForm(request.POST or None, initial={"version": detail.alert.version})
    if request.method == "POST" and form.is_valid():
        try:
            pattern_alert_dismiss(
                user=user,
                alert=detail.alert,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
                now=timezone.now(),
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Alert dismissed as a false match")
            return redirect("web:pattern-alerts")
    return render(
        request,
        "web/network/dismiss.html",
        {
            "detail": detail,
            "alert": detail.alert,
            "form": form,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
        },
    )


@require_http_methods(["GET", "POST"])
def alert_raise(request: HttpRequest, pk: int) -> HttpResponse:
    """Raise a complex request from an alert, its children and facts filled in."""
    user = current_user(request)
    detail = pattern_alert_get(user=user, pk=pk)
    if not detail.may_handle:
        raise Http404
    if detail.alert.complex_request_id is not None:
        return redirect("web:request", pk=detail.alert.complex_request_id)
    facts = pattern_request_facts(detail.alert)
    form = RaiseForm(
        request.POST or None,
        children=[(str(child.pk), child.full_name) for child in detail.children],
        initial={
            "children": [str(pk) for pk in facts["children"]],
            "concerns": facts["concerns"],
            "narrative": facts["narrative"],
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        now = timezone.now()
        chosen = {int(value) for value in data["children"]}
        children = list(visible_children(user).filter(pk__in=chosen).order_by("pk"))
        try:
            raised = pattern_request_raise(
                user=user,
                alert=detail.alert,
                children=children,
                concerns=data["concerns"],
                narrative=data["narrative"],
                identified_at=_identified(detail.alert.raised_at, now),
                now=now,
                token=data["token"],
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, f"Request {raised.pk} raised and triaged")
            return redirect("web:request", pk=raised.pk)
    return render(
        request,
        "web/network/raise.html",
        {
            "detail": detail,
            "alert": detail.alert,
            "form": form,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
            "concern_choices": form.fields["concerns"].choices,  # type: ignore[attr-defined]
        },
    )


def _identified(raised_at: datetime, now: datetime) -> datetime:
    """The concerns across cases were identified when the pattern was first seen."""
    return min(raised_at, now)


@require_http_methods(["GET", "POST"])
def network_settings(request: HttpRequest) -> HttpResponse:
    """The authority's exploitation lead (a person or a team) and the authorities it
    shares patterns with: for its administrators and heads of service."""
    user = current_user(request)
    detail = network_setting_get(user=user)
    form = SettingForm(request.POST if request.method == "POST" else None, detail=detail)
    if request.method == "POST" and form.is_valid():
        try:
            network_setting_set(
                user=user,
                authority=detail.authority,
                values=SettingValues(
                    lead=form.chosen_lead(),
                    team=form.chosen_team(),
                    shares_with=form.chosen_authorities(),
                ),
                version=form.cleaned_data["version"],
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            messages.success(request, "Network settings saved")
            return redirect("web:network-settings")
    return render(
        request,
        "web/network/settings.html",
        {
            "detail": detail,
            "form": form,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
            "chosen_authorities": form["shares_with"].value() or [],
        },
    )
