"""Signing in and passwords: Django's forms, with GOV.UK error messages."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)

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


EMAIL_INVALID = "Enter an email address like name@example.gov.uk"


class ChangePasswordForm(GovukForm, PasswordChangeForm):
    """The current password and a new one, twice, checked against the password policy."""

    anchors: ClassVar[dict[str, str]] = {
        "old_password": "old_password",
        "new_password1": "new_password1",
        "new_password2": "new_password2",
    }

    error_messages = {
        "password_incorrect": "Your current password is not right. Enter it again",
        "password_mismatch": "The new passwords are not the same. Enter the same password twice",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        _new_password_messages(self)


class NewPasswordForm(GovukForm, SetPasswordForm):
    """A new password, twice (after a forgotten-password link)."""

    anchors: ClassVar[dict[str, str]] = {
        "new_password1": "new_password1",
        "new_password2": "new_password2",
    }

    error_messages = ChangePasswordForm.error_messages

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _new_password_messages(self)


def _new_password_messages(form: SetPasswordForm) -> None:
    form.fields["new_password1"].error_messages["required"] = "Enter a new password"
    form.fields["new_password2"].error_messages["required"] = "Enter the new password again"


class ForgottenPasswordForm(GovukForm, PasswordResetForm):
    """The email address of the account; a link to reset its password goes there."""

    anchors: ClassVar[dict[str, str]] = {"email": "email"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages.update(
            {
                "required": "Enter your email address",
                "invalid": EMAIL_INVALID,
                "max_length": EMAIL_INVALID,
            }
        )
