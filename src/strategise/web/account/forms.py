"""Signing in: Django's authentication, with GOV.UK error messages."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.forms import AuthenticationForm

from strategise.web.govuk import GovukForm


class SignInForm(GovukForm, AuthenticationForm):
    """A username and password, checked by Django's authentication backends (Argon2)."""

    anchors: ClassVar[dict[str, str]] = {"username": "username", "password": "password"}

    error_messages = {
        "invalid_login": (
            "The username or password is not right. Check them and try again, or ask your "
            "administrator to reset your password"
        ),
        "inactive": "This account has been closed. Ask your administrator to reopen it",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"

    def error_summary(self) -> list[dict[str, str]]:
        # A failed sign-in is not about one field; the summary still links to the first.
        return [
            item if "href" in item else {**item, "href": "#username"}
            for item in super().error_summary()
        ]
