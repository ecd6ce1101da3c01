"""Signing in and out, and your own account: its details, and signing out everywhere."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from strategise.organisations.second_factor import second_factors_of
from strategise.organisations.sessions import ENDED_KEY, ended_message, sessions_end_everywhere
from strategise.web.account.forms import SignInForm
from strategise.web.account.verification import second_factor_not_required
from strategise.web.users import current_user


class SignInView(auth_views.LoginView):
    """The sign-in page; a signed-in visitor goes straight to their work."""

    template_name = "web/account/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form: SignInForm = context["form"]
        context["errors"] = form.first_errors()
        context["error_summary"] = form.error_summary()
        # Said once, on the page a session that has just ended comes to.
        ended = self.request.session.pop(ENDED_KEY, None)
        context["ended"] = ended_message(ended) if ended else ""
        return context


sign_in = SignInView.as_view()
# Signing out is a POST (from the navigation's "Sign out" button); then the start page.
sign_out = second_factor_not_required(auth_views.LogoutView.as_view())


@require_GET
def account_page(request: HttpRequest) -> HttpResponse:
    """Your own account: who you are here, your second factors, your password."""
    user = current_user(request)
    return render(
        request,
        "web/account/account.html",
        {"account": user, "factors": second_factors_of(user=user)},
    )


@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    """End every session of yours, on every device, this one too."""
    sessions_end_everywhere(user=current_user(request))
    logout(request)
    messages.success(request, "You have been signed out of every device")
    return redirect("web:sign-in")
