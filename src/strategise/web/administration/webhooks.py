"""Webhooks, for an authority's administrators: its endpoints, each switched on or off, a
new one (its secret shown once, after a recent second factor), and the delivery log.

docs/webhooks.md says what is sent and how it is signed. Anyone else is "not found".
"""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from strategise.access import may_administer
from strategise.integrations.models import Event
from strategise.integrations.selectors import webhook_endpoint_of, webhook_settings
from strategise.integrations.services import webhook_endpoint_create, webhook_endpoint_set_active
from strategise.organisations.models import LocalAuthority, User
from strategise.problems import Problem
from strategise.web.account.verification import posted, require_recent_second_factor
from strategise.web.govuk import GovukForm
from strategise.web.users import current_user


class EndpointForm(GovukForm):
    """A new endpoint: its address, the events it takes, what it is."""

    anchors: ClassVar[dict[str, str]] = {
        "url": "url",
        "events": "events",
        "description": "description",
    }

    url = forms.CharField(required=False, max_length=500)
    events = forms.MultipleChoiceField(
        required=False,
        choices=Event.choices,
        error_messages={"invalid_choice": "Choose the events from the list"},
    )
    description = forms.CharField(required=False, max_length=200)


def _administrator(request: HttpRequest) -> User:
    user = current_user(request)
    if not may_administer(user):
        raise Http404("No such page")
    return user


@require_http_methods(["GET", "POST"])
def webhooks_page(request: HttpRequest) -> HttpResponse:
    """The endpoints and the delivery log; a posted ``endpoint`` is switched on or off."""
    user = _administrator(request)
    if request.method == "POST":
        try:
            pk = int(request.POST.get("endpoint", ""))
        except ValueError:
            raise Http404("No such endpoint") from None
        endpoint = webhook_endpoint_of(user=user, pk=pk)
        if endpoint is None:
            raise Http404("No such endpoint")
        active = request.POST.get("active") == "on"
        webhook_endpoint_set_active(endpoint=endpoint, active=active, user=user)
        messages.success(
            request,
            f"Endpoint {endpoint.pk} is switched {'on' if active else 'off'}"
            + ("" if active else ": its events wait until it is switched on again"),
        )
        return redirect("web:webhooks")
    return render(
        request,
        "web/administration/webhooks.html",
        {"settings": webhook_settings(user=user), "event_names": dict(Event.choices)},
    )


@require_http_methods(["GET", "POST"])
@require_recent_second_factor(when=posted("save"))
def webhook_new(request: HttpRequest) -> HttpResponse:
    """Add an endpoint; its secret is shown on the answer to this form, and never again."""
    user = _administrator(request)
    form = EndpointForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = webhook_endpoint_create(
                authority=LocalAuthority.objects.get(pk=user.local_authority_id or 0),
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
                user=user,
                now=timezone.now(),
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            response = render(
                request,
                "web/administration/webhook_made.html",
                {"endpoint": endpoint, "secret": secret, "event_names": dict(Event.choices)},
            )
            response["Cache-Control"] = "no-store"
            return response
    return render(
        request,
        "web/administration/webhook_form.html",
        {
            "form": form,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
            "event_choices": Event.choices,
        },
    )
