"""Passwords: changing your own, and resetting a forgotten one by a link sent by email.

Django's views do the work (its token: single-use, valid for ``PASSWORD_RESET_TIMEOUT``,
an hour); saving the new password is ``password_set``, which audits it. The email says
only that a reset was asked for and how: nothing about cases.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse, reverse_lazy

from strategise.organisations.models import User
from strategise.organisations.services import password_reset_asked, password_set
from strategise.web.account.forms import ChangePasswordForm, ForgottenPasswordForm, NewPasswordForm
from strategise.web.users import current_user


def _with_errors(context: dict[str, Any]) -> dict[str, Any]:
    form = context.get("form")
    if form is not None:
        context["errors"] = form.first_errors()
        context["error_summary"] = form.error_summary()
    return context


class PasswordChangePage(auth_views.PasswordChangeView):
    """Change your own password (your other sessions end; this one carries on)."""

    template_name = "web/account/password_change.html"
    form_class = ChangePasswordForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return _with_errors(super().get_context_data(**kwargs))

    def form_valid(self, form: ChangePasswordForm) -> HttpResponse:  # type: ignore[override]
        user = current_user(self.request)
        password_set(user=user, password=form.cleaned_data["new_password1"], reset=False)
        update_session_auth_hash(self.request, user)
        messages.success(self.request, "Your password has been changed")
        return HttpResponseRedirect(reverse("web:account"))


class ForgottenPasswordPage(auth_views.PasswordResetView):
    """Ask for a link to reset a forgotten password; the page never says whether the
    address is an account's."""

    template_name = "web/account/password_reset.html"
    form_class = ForgottenPasswordForm
    email_template_name = "web/account/password_reset_email.txt"
    subject_template_name = "web/account/password_reset_subject.txt"
    success_url = reverse_lazy("web:password-reset-sent")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return _with_errors(super().get_context_data(**kwargs))

    def form_valid(self, form: ForgottenPasswordForm) -> HttpResponse:  # type: ignore[override]
        # Links point at the configured address, never at the Host header a stranger sent.
        self.extra_email_context = {
            "base_url": settings.STRATEGISE_BASE_URL,
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        }
        accounts = list(form.get_users(form.cleaned_data["email"]))
        response = super().form_valid(form)
        password_reset_asked(accounts=accounts)
        return response


class PasswordResetSentPage(auth_views.PasswordResetDoneView):
    template_name = "web/account/password_reset_sent.html"


class NewPasswordPage(auth_views.PasswordResetConfirmView):
    """Choose a new password from the link in the email (or say the link does not work)."""

    template_name = "web/account/password_reset_confirm.html"
    form_class = NewPasswordForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return _with_errors(super().get_context_data(**kwargs))

    def form_valid(self, form: NewPasswordForm) -> HttpResponse:  # type: ignore[override]
        user: User = form.user
        password_set(user=user, password=form.cleaned_data["new_password1"], reset=True)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, "Your password has been changed. Sign in with it")
        return HttpResponseRedirect(reverse("web:sign-in"))


password_change = PasswordChangePage.as_view()
password_reset = ForgottenPasswordPage.as_view()
password_reset_sent = PasswordResetSentPage.as_view()
password_reset_confirm = NewPasswordPage.as_view()
