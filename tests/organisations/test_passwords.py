"""The password policy: not the service's name, the authority's or the user's own names;
nor a common password, nor one like the user's details (Django's validators)."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from strategise.organisations.models import LocalAuthority, Role, User
from strategise.organisations.passwords import NamesValidator
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def priya(authority: LocalAuthority) -> User:
    return UserFactory.create(
        username="priya.khan",
        first_name="Priya",
        last_name="Khan",
        agency=authority.agencies.get(kind="childrens_social_care"),
        role=Role.SOCIAL_WORKER,
    )


def _refusals(password: str, user: User | None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return list(error.messages)
    return []


def test_a_long_unrelated_password_is_accepted(priya: User) -> None:
    assert _refusals("quiet lantern meadow 47", priya) == []


@pytest.mark.parametrize(
    "password", ["Strategise2026!!", "my-STRATEGISE-pass", "s t r a t e g i s e 12"]
)
def test_the_services_name_is_refused_however_it_is_written(priya: User, password: str) -> None:
    assert "Your password must not contain the name of the service (Strategise)" in _refusals(
        password, priya
    )


def test_the_authoritys_name_is_refused(priya: User) -> None:
    # Sandwell Metropolitan Borough Council: "Sandwell" is the name; the rest says what it is.
    assert "Your password must not contain the name of your authority (Sandwell)" in _refusals(
        "SandwellRocks2026", priya
    )


def test_the_generic_words_of_an_authoritys_name_are_not_refused(priya: User) -> None:
    NamesValidator().validate("metropolitan borough lamp", priya)


@pytest.mark.parametrize(
    "password", ["priyaloves-tea-1984", "tea and KHAN forever", "x-priya.khan-x"]
)
def test_the_users_own_names_and_username_are_refused(priya: User, password: str) -> None:
    assert "Your password must not contain your name or your username" in _refusals(password, priya)


def test_a_short_first_name_does_not_refuse_passwords_containing_it(
    authority: LocalAuthority,
) -> None:
    al = UserFactory.create(first_name="Al", last_name="Brown", username="al.b")
    NamesValidator().validate("always alarming alpacas", al)


def test_without_a_user_only_the_services_name_is_checked() -> None:
    NamesValidator().validate("SandwellPriyaKhan", None)
    with pytest.raises(ValidationError):
        NamesValidator().validate("strategise-and-more", None)


def test_common_passwords_are_refused(priya: User) -> None:
    assert "This password is too common." in _refusals("password1234", priya)


def test_short_passwords_are_refused(priya: User) -> None:
    assert any("at least 12 characters" in message for message in _refusals("lamp meadow", priya))


def test_the_policy_explains_itself() -> None:
    assert "the name of the service" in NamesValidator().get_help_text()
