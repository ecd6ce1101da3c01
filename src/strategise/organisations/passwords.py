"""The password policy's own rule: no password made of names an attacker would try first.

Django's validators (settings.AUTH_PASSWORD_VALIDATORS) already refuse common passwords,
short ones, all-number ones and those too like the user's details. This one refuses a
password that contains the service's name, the name of the user's local authority, or
the user's own names or username, however it is capitalised or spaced.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

from strategise.organisations.models import User

SERVICE_NAME = "strategise"
# Words in authorities' names that say what kind of body it is, not which one.
GENERIC_WORDS = frozenset(
    {
        "and",
        "borough",
        "children",
        "city",
        "council",
        "county",
        "district",
        "metropolitan",
        "of",
        "royal",
        "services",
        "the",
        "trust",
    }
)
# Shorter names ("Al", "Jo") would refuse too many good passwords.
SHORTEST_NAME = 3


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _words(text: str) -> list[str]:
    return [word for word in re.split(r"[^a-z0-9]+", text.lower()) if word]


def _authority_words(user: User | None) -> list[str]:
    if user is None or user.agency_id is None or user.agency is None:
        return []
    name = user.agency.local_authority.name
    return [word for word in _words(name) if word not in GENERIC_WORDS and len(word) > 3]


def _own_names(user: User | None) -> list[str]:
    if user is None:
        return []
    names = [user.username, *_words(user.first_name), *_words(user.last_name)]
    return [_letters(name) for name in names if len(_letters(name)) >= SHORTEST_NAME]


class NamesValidator:
    """Refuse a password containing "Strategise", the authority's name or the user's own."""

    def validate(self, password: str, user: User | None = None) -> None:
        typed = _letters(password)
        if SERVICE_NAME in typed:
            raise ValidationError(
                "Your password must not contain the name of the service (Strategise)",
                code="password_has_service_name",
            )
        for word in _authority_words(user):
            if word in typed:
                raise ValidationError(
                    f"Your password must not contain the name of your authority ({word.title()})",
                    code="password_has_authority_name",
                )
        for name in _own_names(user):
            if name in typed:
                raise ValidationError(
                    "Your password must not contain your name or your username",
                    code="password_has_own_name",
                )

    def get_help_text(self) -> str:
        return (
            "Your password must not contain the name of the service, of your authority, or "
            "your own name or username."
        )
