"""A second factor for every account: set up on first sign-in, demanded before any case page.

These tests sign in through the form (password only), as a person does; the suite's
``force_login`` passes the second factor as well and so is not used here.
"""

from __future__ import annotations

import re
from base64 import b32decode
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.plugins.otp_totp.models import TOTPDevice

from strategise.audit.models import AuditEvent
from strategise.organisations.models import User
from strategise.organisations.second_factor import recovery_codes_issue
from strategise.policy import LONDON
from tests.second_factor import app_code, app_device, sign_in_with_password
from tests.web.pages import error_summary, navigation, text

pytestmark = pytest.mark.django_db

SECOND_FACTOR = "/sign-in/second-factor/"
SET_UP = "/sign-in/set-up-second-factor/"
NOON = datetime(2026, 6, 3, 12, 0, 5, tzinfo=LONDON)


def enter_code(client: Client, code: str, next_page: str = "/my-work/") -> str:
    """Post a code on the second-factor page; the page's HTML, or where it redirected."""
    response = client.post(SECOND_FACTOR, {"code": code, "next": next_page})
    return response["Location"] if response.status_code == 302 else response.content.decode()


def actions(user: User) -> list[str]:
    return list(AuditEvent.objects.filter(object_id=str(user.pk)).values_list("action", flat=True))


# --- every page but the public ones --------------------------------------------------


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, object]]:
    """Every route in the URLconf: (example path, name, view)."""
    for pattern in patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + route, inner)
        else:
            example = re.sub(r"<int:\w+>", "1", route)
            example = re.sub(r"<(?:str|slug|path):\w+>", "x", example)
            yield "/" + prefix + example, f"{namespace}{pattern.name}", pattern.callback


def _routes() -> list[tuple[str, str, object]]:
    # The admin's own URLs are regular expressions; its index stands for them below. The
    # API takes a bearer token, never the session (tests/api/test_tokens.py).
    return [
        route
        for route in _walk(get_resolver().url_patterns)
        if not route[1].startswith(("admin:", "api:")) and "^" not in route[0]
    ]


# The only pages open before the second factor: the public ones, signing out, and the
# second-factor pages themselves.
OPEN_BEFORE_SECOND_FACTOR = {
    "web:start",
    "web:triage",
    "web:sign-in",
    "web:sign-out",
    "web:invitation",
    # The rest of a private invitation link (its token is the key; names and dates of birth
    # only after the code sent to the invited address): confirming who holds it, naming a
    # deputy, sending a written report.
    "web:invitation-identity",
    "web:invitation-deputy",
    "web:invitation-report",
    "web:second-factor",
    "web:second-factor-set-up",
    "web:recovery-code",
    "web:passkey-register-options",
    "web:passkey-register",
    "web:passkey-sign-in-options",
    "web:passkey-sign-in",
    # A forgotten password is reset without signing in (signing in still needs the factor).
    "web:password-reset",
    "web:password-reset-sent",
    "web:password-reset-confirm",
}


def test_only_public_and_second_factor_pages_are_open_before_the_second_factor() -> None:
    open_names = {
        name
        for _, name, view in _routes()
        if not getattr(view, "login_required", True)
        or not getattr(view, "second_factor_required", True)
    }
    assert open_names == OPEN_BEFORE_SECOND_FACTOR


GUARDED = [(path, name) for path, name, _ in _routes() if name not in OPEN_BEFORE_SECOND_FACTOR] + [
    ("/admin/", "admin:index")
]


@pytest.mark.parametrize(("path", "name"), GUARDED, ids=[name for _, name in GUARDED])
def test_a_signed_in_user_without_their_second_factor_is_sent_to_it(
    client: Client, team_manager: User, path: str, name: str
) -> None:
    sign_in_with_password(client, team_manager)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{SECOND_FACTOR}?next=")


def test_the_walk_finds_the_case_pages() -> None:
    names = {name for _, name in GUARDED}
    assert {"web:my-work", "web:child", "web:discussion", "web:minutes", "web:clock-stop"} <= names
    assert {"reports:cin-census", "oversight:dashboard", "notifications:list"} <= names


def test_public_pages_stay_open_before_the_second_factor(
    client: Client, social_worker: User
) -> None:
    sign_in_with_password(client, social_worker)
    assert client.get("/").status_code == 200
    assert client.get("/triage/").status_code == 200


def test_before_the_second_factor_the_navigation_offers_only_signing_out(
    client: Client, social_worker: User
) -> None:
    app_device(social_worker)
    sign_in_with_password(client, social_worker)
    html = client.get(SECOND_FACTOR).content.decode()
    assert navigation(html) == "Sign out"
    response = client.post("/sign-out/")
    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


# --- setting up on first sign-in ------------------------------------------------------


def test_first_sign_in_goes_to_setting_up_with_a_qr_code(
    client: Client, social_worker: User
) -> None:
    sign_in_with_password(client, social_worker)
    assert client.get("/my-work/")["Location"] == f"{SECOND_FACTOR}?next=%2Fmy-work%2F"
    assert client.get(f"{SECOND_FACTOR}?next=/my-work/")["Location"] == (
        f"{SET_UP}?next=%2Fmy-work%2F"
    )
    html = client.get(f"{SET_UP}?next=/my-work/").content.decode()
    assert '<h1 class="govuk-heading-xl">Set up a second factor</h1>' in html
    # The QR code is inline SVG, named for screen readers, with no inline style (CSP).
    svg = html.split("<svg")[1].split("</svg>")[0]
    assert 'role="img" aria-label="QR code to scan with your authenticator app"' in svg
    assert "style=" not in svg and "<img" not in html
    device = TOTPDevice.objects.get(user=social_worker)
    assert not device.confirmed
    secret = text(html.split('id="secret">')[1].split("</p>")[0]).replace(" ", "")
    assert bytes.fromhex(device.key) == b32decode(secret)


def test_the_qr_code_stays_the_same_until_the_app_is_set_up(
    client: Client, social_worker: User
) -> None:
    sign_in_with_password(client, social_worker)
    first, second = (client.get(SET_UP).content.decode() for _ in range(2))
    assert "<svg" in first
    assert first.split("<svg")[1].split("</svg>")[0] == second.split("<svg")[1].split("</svg>")[0]
    assert TOTPDevice.objects.filter(user=social_worker).count() == 1


def test_setting_up_the_app_shows_ten_recovery_codes_once(
    client: Client, social_worker: User
) -> None:
    sign_in_with_password(client, social_worker)
    client.get(SET_UP)
    device = TOTPDevice.objects.get(user=social_worker)
    response = client.post(SET_UP, {"code": app_code(device), "next": "/children/"})
    assert response["Location"] == "/sign-in/recovery-codes/?next=%2Fchildren%2F"
    html = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<li><code>(\w{4} \w{4})</code></li>", html)
    assert len(set(codes)) == 10
    assert "This is the only time these codes are shown" in text(html)
    assert 'href="/children/"' in html
    # Shown once: asking again shows none of them.
    again = client.get("/sign-in/recovery-codes/?next=/children/", follow=True)
    assert not any(code in again.content.decode() for code in codes)
    assert "shown once and cannot be shown again" in text(again.content.decode())
    assert client.get("/children/").status_code == 200
    assert TOTPDevice.objects.get(user=social_worker).confirmed
    assert actions(social_worker)[-2:] == ["second-factor-enrolled", "recovery-codes-issued"]


def test_a_wrong_code_while_setting_up_is_refused_and_nothing_is_set_up(
    client: Client, social_worker: User
) -> None:
    sign_in_with_password(client, social_worker)
    client.get(SET_UP)
    html = client.post(SET_UP, {"code": "000000"}).content.decode()
    [(message, target)] = error_summary(html)
    assert message.startswith("The code is not right")
    assert target == "code"
    assert not TOTPDevice.objects.get(user=social_worker).confirmed
    assert client.get("/my-work/").status_code == 302


def test_someone_with_only_the_password_cannot_set_up_another_app(
    client: Client, social_worker: User
) -> None:
    app_device(social_worker)
    sign_in_with_password(client, social_worker)
    assert client.get(SET_UP)["Location"] == f"{SECOND_FACTOR}?next=%2Fmy-work%2F"
    assert TOTPDevice.objects.filter(user=social_worker).count() == 1


# --- signing in with the app ----------------------------------------------------------


def test_the_code_from_the_app_opens_the_page_asked_for(
    client: Client, social_worker: User
) -> None:
    device = app_device(social_worker)
    sign_in_with_password(client, social_worker)
    html = client.get(f"{SECOND_FACTOR}?next=/children/").content.decode()
    assert '<h1 class="govuk-heading-xl">Enter your code</h1>' in html
    assert 'autocomplete="one-time-code"' in html
    assert enter_code(client, app_code(device), "/children/") == "/children/"
    assert client.get("/children/").status_code == 200
    assert actions(social_worker)[-1] == "second-factor-used"


def test_a_wrong_code_is_refused_with_what_to_do(client: Client, social_worker: User) -> None:
    device = app_device(social_worker)
    sign_in_with_password(client, social_worker)
    right = app_code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    html = enter_code(client, wrong)
    assert error_summary(html) == [
        (
            "The code is not right. Enter the code your authenticator app shows now, for "
            "Strategise and this username",
            "code",
        )
    ]
    assert "<title>Error: Enter your code – Strategise</title>" in html
    assert actions(social_worker)[-1] == "second-factor-failed"
    assert client.get("/my-work/").status_code == 302


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the 6-digit code from your authenticator app"),
        ("12345", "The code must be the 6 numbers your authenticator app shows, like 123456"),
        ("12e456", "The code must be the 6 numbers your authenticator app shows, like 123456"),
    ],
)
def test_what_is_not_a_code_is_explained(
    client: Client, social_worker: User, typed: str, message: str
) -> None:
    app_device(social_worker)
    sign_in_with_password(client, social_worker)
    assert error_summary(enter_code(client, typed)) == [(message, "code")]


def test_a_code_typed_with_a_space_is_accepted(client: Client, social_worker: User) -> None:
    device = app_device(social_worker)
    sign_in_with_password(client, social_worker)
    code = app_code(device)
    assert enter_code(client, f" {code[:3]} {code[3:]} ") == "/my-work/"


def test_a_code_is_accepted_only_once(client: Client, social_worker: User) -> None:
    device = app_device(social_worker)
    with time_machine.travel(NOON, tick=False):
        code = app_code(device)
        sign_in_with_password(client, social_worker)
        assert enter_code(client, code) == "/my-work/"
        client.post("/sign-out/")
        sign_in_with_password(client, social_worker)
        [(message, _)] = error_summary(enter_code(client, code))
    assert message == (
        "That code has already been used. Wait for your authenticator app to show a new "
        "code, then enter it"
    )


def test_after_a_wrong_code_the_next_try_must_wait(client: Client, social_worker: User) -> None:
    device = app_device(social_worker)
    sign_in_with_password(client, social_worker)
    with time_machine.travel(NOON, tick=False) as traveller:
        enter_code(client, "000000" if app_code(device) != "000000" else "111111")
        [(message, _)] = error_summary(enter_code(client, app_code(device)))
        assert message == "You have entered a wrong code. Wait 1 second, then try again"
        traveller.shift(timedelta(seconds=1))
        enter_code(client, "000000" if app_code(device) != "000000" else "111111")
        [(message, _)] = error_summary(enter_code(client, app_code(device)))
        assert message == "You have entered 2 wrong codes in a row. Wait 2 seconds, then try again"
        traveller.shift(timedelta(seconds=2))
        assert enter_code(client, app_code(device)) == "/my-work/"


def test_a_next_page_on_another_site_is_ignored(client: Client, social_worker: User) -> None:
    device = app_device(social_worker)
    sign_in_with_password(client, social_worker)
    assert enter_code(client, app_code(device), "https://example.com/") == "/my-work/"


# --- recovery codes -------------------------------------------------------------------


def test_a_recovery_code_works_once(client: Client, social_worker: User) -> None:
    app_device(social_worker)
    codes = _issued(social_worker)
    sign_in_with_password(client, social_worker)
    response = client.post("/sign-in/recovery-code/", {"code": codes[0].upper(), "next": "/"})
    assert response["Location"] == "/"
    assert "Recovery code accepted. You have 9 recovery codes left" in text(
        client.get("/my-work/").content.decode()
    )
    assert actions(social_worker)[-1] == "recovery-code-used"
    client.post("/sign-out/")
    sign_in_with_password(client, social_worker)
    html = client.post("/sign-in/recovery-code/", {"code": codes[0]}).content.decode()
    assert error_summary(html) == [
        (
            "That is not one of your recovery codes, or it has been used. Each code works once",
            "code",
        )
    ]
    assert client.get("/my-work/").status_code == 302


def test_new_recovery_codes_replace_the_old(social_worker: User) -> None:
    old = _issued(social_worker)
    new = _issued(social_worker)
    assert len(new) == 10 and not set(old) & set(new)


def test_without_recovery_codes_the_page_says_who_to_ask(
    client: Client, social_worker: User
) -> None:
    app_device(social_worker)
    sign_in_with_password(client, social_worker)
    html = client.post("/sign-in/recovery-code/", {"code": "abcd2345"}).content.decode()
    [(message, _)] = error_summary(html)
    assert message == (
        "You have no recovery codes. Ask your administrator to reset your second factor"
    )


def _issued(user: User) -> list[str]:
    return recovery_codes_issue(user=user)


# --- Django's admin -------------------------------------------------------------------


@pytest.mark.parametrize("page", ["config", "qrcode"])
def test_the_admin_never_shows_an_authenticator_apps_secret(
    client: Client, administrator: User, social_worker: User, page: str
) -> None:
    # Even to a superuser, who may view every device; and a device that does not exist is
    # refused the same way, not a server error.
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    device = app_device(social_worker)
    client.force_login(administrator)
    for pk in (device.pk, 999999):
        response = client.get(f"/admin/otp_totp/totpdevice/{pk}/{page}/")
        assert response.status_code == 403, pk
    change = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in change
