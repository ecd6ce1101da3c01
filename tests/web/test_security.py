"""Controls that docs/security.md cites and no other test shows on its own: passwords taken
as typed, the password policy, sessions renewed on signing in and ended on signing out, and
no account made by installing the service."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory

from strategise.organisations.models import User
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LONG = "a passphrase of well over sixty-four characters, with spaces, Ünicode and 123 in it"


def test_installing_makes_no_account() -> None:
    """ASVS 6.3.2: no default account; the demo's accounts come only from `manage.py demo`."""
    assert not User.objects.exists()


def test_a_long_password_is_taken_exactly_as_typed(social_worker: User) -> None:
    social_worker.set_password(LONG)
    social_worker.save()
    assert len(LONG) > 64
    # Through the lockout's backend too, which needs the request signing in.
    request = RequestFactory().post("/sign-in/")
    username = social_worker.username
    assert authenticate(request, username=username, password=LONG) == social_worker
    assert authenticate(request, username=username, password=LONG.upper()) is None
    assert authenticate(request, username=username, password=LONG[:64]) is None


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short pass", "This password is too short. It must contain at least 12 characters."),
        ("password1234", "This password is too common."),
        ("123456789012", "This password is entirely numeric."),
    ],
)
def test_weak_passwords_are_refused(password: str, why: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert why in refused.value.messages


def test_a_password_needs_no_particular_characters() -> None:
    validate_password("correct horse battery staple")  # lower case and spaces only: fine


def test_signing_in_starts_a_new_session(client: Client, social_worker: User) -> None:
    client.get("/sign-in/")
    session = client.session
    session["before"] = "signing in"
    session.save()
    before = session.session_key
    assert before is not None
    client.post("/sign-in/", {"username": social_worker.username, "password": PASSWORD})
    assert client.session.session_key != before
    assert not SessionStore(session_key=before).exists(before)


def test_signing_out_ends_the_session(client: Client, social_worker: User) -> None:
    client.force_login(social_worker)
    key = client.session.session_key
    assert key is not None
    assert client.post("/sign-out/").status_code == 302
    assert not SessionStore(session_key=key).exists(key)
    assert client.get("/my-work/").status_code == 302


def test_a_closed_account_is_signed_out_at_its_next_request(
    client: Client, social_worker: User
) -> None:
    client.force_login(social_worker)
    assert client.get("/my-work/").status_code == 200
    User.objects.filter(pk=social_worker.pk).update(is_active=False)
    response = client.get("/my-work/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
