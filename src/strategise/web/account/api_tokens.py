"""Your API tokens: make one (after a fresh second factor), shown once; revoke one.

The token's text is on the page that made it and nowhere else: only its prefix and a
digest of it are kept (``organisations.tokens``), and the page is never cached.
"""

from __future__ import annotations

from typing import ClassVar

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from strategise.organisations.models import ApiScope
from strategise.organisations.tokens import (
    TOKEN_DAYS,
    api_token_create,
    api_token_revoke,
    api_tokens_of,
)
from strategise.problems import Problem
from strategise.web.account.verification import posted, require_recent_second_factor
from strategise.web.govuk import GovukForm
from strategise.web.users import current_user

CREATE_BUTTON = "create"


class TokenForm(GovukForm):
    """A token's name, what it may do and how long it lasts."""

    anchors: ClassVar[dict[str, str]] = {"name": "name", "scope": "scope", "days": "days"}

    name = forms.CharField(
        max_length=100,
        error_messages={
            "required": "Enter a name for the token, such as the system that uses it",
            "max_length": "The name must be 100 characters or fewer",
        },
    )
    scope = forms.ChoiceField(
        choices=[
            (ApiScope.READ, "Read case records"),
            (ApiScope.WRITE, "Read and change case records"),
        ],
        error_messages={
            "required": "Select what the token may do",
            "invalid_choice": "Select what the token may do",
        },
    )
    days = forms.TypedChoiceField(
        coerce=int,
        choices=[(str(days), f"{days} days") for days in TOKEN_DAYS],
        error_messages={
            "required": "Select how long the token lasts",
            "invalid_choice": "Select how long the token lasts",
        },
    )


@require_http_methods(["GET", "POST"])
@require_recent_second_factor(when=posted(CREATE_BUTTON))
def api_tokens_page(request: HttpRequest) -> HttpResponse:
    """Your tokens, and a form to make one: its text shown once, on the page that made it."""
    user = current_user(request)
    form = TokenForm(request.POST if request.method == "POST" else None)
    made = None
    if request.method == "POST" and form.is_valid():
        try:
            token, text = api_token_create(
                user=user,
                name=form.cleaned_data["name"],
                scopes=[form.cleaned_data["scope"]],
                days=form.cleaned_data["days"],
                now=timezone.now(),
            )
        except Problem as problem:
            form.add_problem(problem)
        else:
            made = {"token": token, "text": text}
            form = TokenForm()
    return render(
        request,
        "web/account/api_tokens.html",
        {
            "form": form,
            "errors": form.first_errors(),
            "error_summary": form.error_summary(),
            "made": made,
            "tokens": api_tokens_of(user=user),
            "now": timezone.now(),
            "create_button": CREATE_BUTTON,
            "scope_words": dict(ApiScope.choices),
        },
    )


@require_POST
def api_token_revoke_button(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of your tokens: it stops working at once."""
    try:
        token = api_token_revoke(user=current_user(request), pk=pk, now=timezone.now())
    except Problem:
        raise Http404 from None
    messages.success(request, f"Token {token.name} ({token.prefix}) revoked")
    return redirect("web:api-tokens")
