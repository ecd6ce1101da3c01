"""Signing in as production runs: behind the TLS proxy, with secure cookies.

The second factor, once passed, holds for the session's every page: the session's new key
(given on passing it) keeps the record, and the secure cookie carries it over HTTPS.
"""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from strategise.cases.models import Child
from strategise.organisations.models import User
from tests.second_factor import app_code, app_device, sign_in_with_password

PRODUCTION = override_settings(
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)


@pytest.fixture
def proxied() -> Client:
    """A browser whose every request the TLS proxy marks as having come over HTTPS."""
    return Client(headers={"X-Forwarded-Proto": "https"})


@PRODUCTION
def test_the_second_factor_holds_page_after_page_behind_the_proxy(
    proxied: Client, social_worker: User, child: Child
) -> None:
    device = app_device(social_worker)
    sign_in_with_password(proxied, social_worker)
    password_key = proxied.cookies["sessionid"].value
    response = proxied.post(
        "/sign-in/second-factor/", {"code": app_code(device), "next": "/my-work/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/my-work/"
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] is True
    assert cookie.value != password_key  # a new key for what the session may now do
    pages = ["/my-work/", "/children/", f"/children/{child.pk}/", "/notifications/"] * 3
    assert [(path, proxied.get(path).status_code) for path in pages] == [
        (path, 200) for path in pages
    ]


@PRODUCTION
def test_behind_the_proxy_a_page_asked_for_is_where_the_second_factor_returns(
    proxied: Client, social_worker: User, child: Child
) -> None:
    device: TOTPDevice = app_device(social_worker)
    sign_in_with_password(proxied, social_worker)
    page = f"/children/{child.pk}/"
    asked = proxied.get(page)
    assert asked["Location"] == f"/sign-in/second-factor/?next=%2Fchildren%2F{child.pk}%2F"
    response = proxied.post(asked["Location"], {"code": app_code(device), "next": page})
    assert response["Location"] == page
    assert proxied.get(page).status_code == 200
