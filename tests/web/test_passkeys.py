"""Passkeys: set one up on first sign-in instead of an app, then sign in with it.

A software passkey (``tests/passkey_authenticator.py``) answers as a browser would, so
the WebAuthn checks are the real ones; ``tests/e2e`` does the same in Chromium.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from strategise.audit.models import AuditEvent
from strategise.organisations.models import Passkey, User
from tests.passkey_authenticator import SoftPasskey, unb64url
from tests.second_factor import app_device, sign_in_with_password
from tests.web.pages import text

pytestmark = pytest.mark.django_db

REGISTER_OPTIONS = "/sign-in/passkey/new/options/"
REGISTER = "/sign-in/passkey/new/?next=/children/"
SIGN_IN_OPTIONS = "/sign-in/passkey/options/"
SIGN_IN = "/sign-in/passkey/?next=/children/"


def _post(client: Client, path: str, body: str = "{}") -> tuple[int, dict[str, str]]:
    response = client.post(path, body, content_type="application/json")
    return response.status_code, response.json()


def _options(client: Client, path: str) -> str:
    response = client.post(path, "{}", content_type="application/json")
    assert response.status_code == 200, response.content
    return response.content.decode()


def _registered(client: Client, user: User) -> SoftPasskey:
    """Sign in with the password and set up a passkey as the second factor."""
    passkey = SoftPasskey()
    sign_in_with_password(client, user)
    answer = passkey.register(_options(client, REGISTER_OPTIONS))
    status, body = _post(client, REGISTER, answer)
    assert status == 200, body
    return passkey


def _actions(user: User) -> list[str]:
    return list(AuditEvent.objects.filter(object_id=str(user.pk)).values_list("action", flat=True))


def test_the_set_up_page_offers_a_passkey_for_browsers_that_have_them(
    client: Client, social_worker: User
) -> None:
    sign_in_with_password(client, social_worker)
    html = client.get("/sign-in/set-up-second-factor/").content.decode()
    assert 'data-passkey-ceremony="register"' in html
    assert "Set up a passkey" in html
    # A script file, allowed by the Content Security Policy's nonce (and by 'self').
    nonce = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in nonce
    assert '<script type="module" src="/static/strategise/passkey.mjs" nonce="' in html


def test_registration_options_name_this_site_and_the_user(
    client: Client, social_worker: User
) -> None:
    sign_in_with_password(client, social_worker)
    options = json.loads(_options(client, REGISTER_OPTIONS))
    assert options["rp"] == {"name": "Strategise", "id": "testserver"}
    assert options["user"]["name"] == social_worker.username
    assert len(unb64url(options["challenge"])) >= 32


def test_a_passkey_set_up_on_first_sign_in_is_the_second_factor(
    client: Client, social_worker: User
) -> None:
    passkey = SoftPasskey()
    sign_in_with_password(client, social_worker)
    answer = passkey.register(_options(client, REGISTER_OPTIONS))
    status, body = _post(client, REGISTER, answer)
    assert (status, body) == (200, {"redirect": "/sign-in/recovery-codes/?next=%2Fchildren%2F"})
    stored = Passkey.objects.get(user=social_worker)
    assert unb64url(stored.credential_id) == passkey.credential_id
    assert stored.transports == ["internal"]
    assert "Your recovery codes" in text(client.get(str(body["redirect"])).content.decode())
    assert client.get("/children/").status_code == 200
    assert _actions(social_worker)[-2:] == ["second-factor-enrolled", "recovery-codes-issued"]


def test_signing_in_with_the_passkey(client: Client, social_worker: User) -> None:
    passkey = _registered(client, social_worker)
    client.post("/sign-out/")
    sign_in_with_password(client, social_worker)
    html = client.get("/sign-in/second-factor/").content.decode()
    assert 'data-passkey-ceremony="sign-in"' in html
    assert 'id="code"' not in html  # no app set up, so no code to type
    answer = passkey.sign_in(_options(client, SIGN_IN_OPTIONS))
    assert _post(client, SIGN_IN, answer) == (200, {"redirect": "/children/"})
    assert client.get("/children/").status_code == 200
    assert Passkey.objects.get().sign_count == 1
    assert _actions(social_worker)[-1] == "second-factor-used"


def test_an_answer_is_accepted_once(client: Client, social_worker: User) -> None:
    passkey = _registered(client, social_worker)
    client.post("/sign-out/")
    sign_in_with_password(client, social_worker)
    answer = passkey.sign_in(_options(client, SIGN_IN_OPTIONS))
    client.post(SIGN_IN, answer, content_type="application/json")
    client.post("/sign-out/")
    sign_in_with_password(client, social_worker)
    assert _post(client, SIGN_IN, answer) == (
        400,
        {"error": "The passkey took too long or was already used. Try again"},
    )


def test_another_accounts_passkey_is_refused(
    client: Client, social_worker: User, team_manager: User
) -> None:
    theirs = _registered(client, social_worker)
    client.post("/sign-out/")
    _registered(client, team_manager)
    client.post("/sign-out/")
    sign_in_with_password(client, team_manager)
    answer = theirs.sign_in(_options(client, SIGN_IN_OPTIONS))
    status, body = _post(client, SIGN_IN, answer)
    assert status == 400
    assert str(body["error"]).startswith("That passkey is not one set up for your account")
    assert _actions(team_manager)[-1] == "second-factor-failed"
    assert client.get("/children/").status_code == 302


def test_a_forged_signature_is_refused(client: Client, social_worker: User) -> None:
    passkey = _registered(client, social_worker)
    client.post("/sign-out/")
    sign_in_with_password(client, social_worker)
    forger = SoftPasskey()
    forger.credential_id = passkey.credential_id  # the id is not secret; the key is
    answer = forger.sign_in(_options(client, SIGN_IN_OPTIONS))
    status, body = _post(client, SIGN_IN, answer)
    assert status == 400
    assert str(body["error"]).startswith("Your passkey was not accepted")
    assert client.get("/children/").status_code == 302


def test_a_passkey_for_another_site_is_refused(client: Client, social_worker: User) -> None:
    sign_in_with_password(client, social_worker)
    elsewhere = SoftPasskey(origin="https://phishing.example")
    status, body = _post(client, REGISTER, elsewhere.register(_options(client, REGISTER_OPTIONS)))
    assert status == 400
    assert str(body["error"]).startswith("Your passkey could not be set up")
    assert not Passkey.objects.exists()


def test_someone_with_only_the_password_cannot_add_a_passkey(
    client: Client, social_worker: User
) -> None:
    app_device(social_worker)
    sign_in_with_password(client, social_worker)
    status, body = _post(client, REGISTER_OPTIONS)
    assert (status, body) == (
        400,
        {"error": "Sign in with your second factor before adding a passkey"},
    )


def test_without_a_passkey_there_is_nothing_to_sign_in_with(
    client: Client, social_worker: User
) -> None:
    app_device(social_worker)
    sign_in_with_password(client, social_worker)
    status, body = _post(client, SIGN_IN_OPTIONS)
    assert status == 400
    assert "You have not set up a passkey" in str(body["error"])
