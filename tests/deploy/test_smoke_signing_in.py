"""The production smoke test's own signing in and judging, against a live server set up as
production is behind the TLS proxy: secure cookies, ``X-Forwarded-Proto: https`` trusted.

The smoke test used to take the password's redirect to My work for "signed in", so it
never answered the second factor: every page it then opened sent it to the second factor
(1503 of its 1679 answers were those 302s), and it answered the second factor only where
it was asked "again", which hid it.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.conf import settings
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from strategise.cases.models import Child
from strategise.demo.second_factor import DEMO_TOTP_KEY
from strategise.organisations.models import LocalAuthority, User
from strategise.organisations.second_factor import demo_devices_create
from strategise.web.account.verification import SESSION_KEY
from tests.factories import ChildFactory, InvitationFactory
from tests.web.access_matrix import post_only_routes

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "smoke_production.py"


@pytest.fixture(scope="module")
def smoke() -> Iterator[ModuleType]:
    """scripts/smoke_production.py, imported."""
    spec = importlib.util.spec_from_file_location("smoke_production", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["smoke_production"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    yield module
    del sys.modules["smoke_production"]


@pytest.fixture
def behind_the_proxy(settings: Settings, live_server: LiveServer) -> int:
    """Production's settings behind the TLS proxy, on the live server; its port."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    port: int = live_server.thread.port
    return port


@pytest.fixture
def browser(smoke: ModuleType, behind_the_proxy: int) -> Iterator[object]:
    """The smoke test's browser, speaking to the live server as the TLS proxy does."""
    browser = smoke.Browser(behind_the_proxy)
    yield browser
    # Let the server's thread for the kept-alive connection end before the server does.
    browser.connection.close()


@pytest.fixture
def demo_like(social_worker: User, smoke: ModuleType) -> User:
    """A social worker who signs in as the demo's accounts do (its password and its
    published authenticator-app secret)."""
    social_worker.set_password(smoke.PASSWORD)
    social_worker.save(update_fields=["password"])
    demo_devices_create(users=[social_worker], key=DEMO_TOTP_KEY)
    return social_worker


@pytest.fixture
def child(authority: LocalAuthority) -> Child:
    return ChildFactory.create(local_authority=authority)


URLS = {
    "sign-in": "/sign-in/",
    "second-factor": "/sign-in/second-factor/",
    "my-work": "/my-work/",
    "request-new": "/requests/new/",
}


def test_signing_in_answers_the_second_factor_and_it_holds_page_after_page(
    smoke: ModuleType, browser: Any, demo_like: User, child: Child
) -> None:
    smoke.sign_in(browser, demo_like.username, URLS)
    pages = ["/my-work/", "/children/", f"/children/{child.pk}/", "/notifications/"] * 3
    answers = [(path, browser.get(path)) for path in pages]
    assert [(path, answer.status, answer.location) for path, answer in answers] == [
        (path, 200, "") for path in pages
    ]


def test_a_second_factor_asked_again_fails_the_smoke_test(
    smoke: ModuleType, browser: Any, demo_like: User
) -> None:
    smoke.sign_in(browser, demo_like.username, URLS)
    # The session forgets its second factor, as the smoke test once thought it did.
    store = import_module(settings.SESSION_ENGINE).SessionStore
    session = store(session_key=browser.cookies[settings.SESSION_COOKIE_NAME])
    del session[SESSION_KEY]
    session.save()
    answer = browser.get("/my-work/")
    problem, _ = smoke.judge(demo_like, "web:my-work", "/my-work/", False, answer, URLS)
    assert problem == "asked for the second factor again"


def test_a_wrong_code_fails_signing_in_with_the_page_said(
    smoke: ModuleType, browser: Any, demo_like: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("strategise.demo.second_factor.demo_code", lambda at: "000000")
    with pytest.raises(smoke.SmokeFailure, match="not My work") as failure:
        smoke.sign_in(browser, demo_like.username, URLS)
    assert "/sign-in/second-factor/" in str(failure.value)
    assert "the second factor was answered" in str(failure.value)


# --- what the smoke test takes for right and wrong --------------------------------------


def _answer(smoke: ModuleType, status: int, location: str = "") -> object:
    return smoke.Answer(status, location, "")


@pytest.mark.django_db
def test_the_access_matrix_says_what_each_answer_should_be(
    smoke: ModuleType, social_worker: User, police_officer: User, child: Child
) -> None:
    page = f"/children/{child.pk}/"

    def judged(user: User, status: int, missing: bool = False) -> str | None:
        problem, _ = smoke.judge(user, "web:child", page, missing, _answer(smoke, status), URLS)
        return problem

    # The authority's social care opens the child; a police officer invited to nothing
    # is told it is not found.
    assert judged(social_worker, 200) is None
    assert judged(social_worker, 404) == "404, not 200 (as social_care in the access matrix)"
    assert judged(police_officer, 404) is None
    assert judged(police_officer, 200) == (
        "200, not 404 (as police_not_invited in the access matrix)"
    )
    # A number that matches nothing is not found, whoever asks.
    assert judged(social_worker, 404, missing=True) is None
    assert judged(social_worker, 500) == "500, a server error"


@pytest.mark.django_db
def test_only_the_pages_that_redirect_by_design_may_redirect(
    smoke: ModuleType, social_worker: User
) -> None:
    second_factor = "/sign-in/second-factor/?next=%2Fmy-work%2F"
    set_up, _ = smoke.judge(
        social_worker,
        "web:second-factor-set-up",
        "/sign-in/set-up-second-factor/",
        False,
        _answer(smoke, 302, second_factor),
        URLS,
    )
    assert set_up is None
    moved, _ = smoke.judge(
        social_worker, "web:children", "/children/", False, _answer(smoke, 302, "/"), URLS
    )
    assert moved == "302 to /, not 200 (as social_care in the access matrix)"
    # Django's admin keeps its own rules, but a server error is wrong there too.
    admin, _ = smoke.judge(
        social_worker, "admin:index", "/admin/", False, _answer(smoke, 302, "/admin/login/"), URLS
    )
    assert admin is None
    broken, _ = smoke.judge(
        social_worker, "admin:index", "/admin/", False, _answer(smoke, 500), URLS
    )
    assert broken == "500, a server error"


def test_buttons_are_not_asked_for_with_a_get() -> None:
    assert {
        "web:sign-out",
        "web:discussion-reply",
        "notifications:read",
        "notifications:read-all",
        "web:passkey-sign-in",
    } <= post_only_routes()
    assert "web:my-work" not in post_only_routes()


def test_each_page_of_a_private_link_walks_links_of_its_own(
    smoke: ModuleType, authority: LocalAuthority
) -> None:
    """So that every account walking them stays within one link's rate limit."""
    for _ in range(8):
        InvitationFactory.create(discussion__local_authority=authority)
    linked = [p for p in smoke.url_patterns() if p.arguments[:1] == ("token",)]
    assert len(linked) >= 3
    tokens = [
        values["token"]
        for pattern in linked
        for values in smoke.argument_values(pattern, authority, None)
    ]
    assert len(tokens) == len(set(tokens)) == 2 * len(linked)
