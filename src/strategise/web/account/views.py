"""Signing in and out."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views

from strategise.web.account.forms import SignInForm
from strategise.web.account.verification import second_factor_not_required


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
        return context


sign_in = SignInView.as_view()
# Signing out is a POST (from the navigation's "Sign out" button); then the start page.
sign_out = second_factor_not_required(auth_views.LogoutView.as_view())
