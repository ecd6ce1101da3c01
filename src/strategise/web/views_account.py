"""Signing in and out."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from strategise.organisations.models import User
from strategise.web.account.verification import second_factor_not_required
from strategise.web.forms_account import SignInForm


class SignInView(auth_views.LoginView):
    """The sign-in page; a signed-in visitor goes straight to their work."""

    template_name = "web/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form: SignInForm = context["form"]
        context["errors"] = form.first_errors()
        context["error_summary"] = form.error_summary()
        return context


sign_in = SignInView.as_view()
# Signing out is a POST (from the navigation's "Sign out" button); then the start page.
sign_out = second_factor_not_required(auth_views.LogoutView.as_view())


def current_user(request: HttpRequest) -> User:
    """The signed-in user (every page but the public ones requires one)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied("Sign in to use this page")
    return user
