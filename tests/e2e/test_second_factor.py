"""The second factor in a real browser: an authenticator app set up from its QR code and
used to sign in, a passkey in Chromium's virtual authenticator, and the second factor
asked for again before the minutes are sent. axe checks each new page state."""

from __future__ import annotations

import time
from base64 import b32decode
from datetime import timedelta

import pytest
from django.core import mail
from django_otp.oath import TOTP
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from strategise.minutes.services import recipients_build
from strategise.organisations.models import Passkey, User
from tests.e2e.test_journey import Journey, browser  # noqa: F401 - a fixture
from tests.factories import PASSWORD
from tests.second_factor import age_second_factor, app_device, unused_app_code
from tests.web.recording.support import approved_minutes, held

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _password(page: Page, user: User) -> None:
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _heading(page: Page, words: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(words)


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def _code_from(secret: str) -> str:
    """What an authenticator app given ``secret`` shows now (the next code, if needed)."""
    totp = TOTP(b32decode(secret))
    return f"{totp.token():06d}"


def _error(page: Page) -> str:
    summary = page.locator(".govuk-error-summary:not([data-passkey-error])")
    expect(summary).to_be_visible()
    return summary.inner_text()


def test_an_authenticator_app_is_set_up_on_first_sign_in_and_then_asked_for(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    social_worker: User,
) -> None:
    journey = Journey(browser.new_context().new_page(), live_server.url)
    page = journey.page
    page.goto(f"{live_server.url}/children/")
    _password(page, social_worker)
    _heading(page, "Set up a second factor")
    qr = page.get_by_role("img", name="QR code to scan with your authenticator app")
    expect(qr).to_be_visible()
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#secret").inner_text().replace(" ", "")
    journey.check("set up a second factor")

    page.get_by_label("Code from your authenticator app").fill("12345")
    page.get_by_role("button", name="Set up the app").click()
    assert "The code must be the 6 numbers your authenticator app shows" in _error(page)
    journey.check("set up a second factor, with errors")

    page.get_by_label("Code from your authenticator app").fill(_code_from(secret))
    page.get_by_role("button", name="Set up the app").click()
    _heading(page, "Your recovery codes")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    journey.check("recovery codes")
    page.get_by_role("button", name="I have kept my recovery codes").click()
    _heading(page, "Children")

    _sign_out(page)
    page.goto(f"{live_server.url}/sign-in/")
    _password(page, social_worker)
    _heading(page, "Enter your code")
    journey.check("enter your code")
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    assert "The code is not right" in _error(page)
    journey.check("enter your code, with errors")
    # After a wrong code, django-otp makes the next try wait a second.
    time.sleep(1)
    page.get_by_label("Code from your authenticator app").fill(
        unused_app_code(app_device(social_worker))
    )
    page.get_by_role("button", name="Continue").click()
    _heading(page, "My work")


def _minutes_sent() -> list[object]:
    return [m for m in mail.outbox if m.subject.startswith("Minutes of strategy")]


def _virtual_authenticator(context: BrowserContext, page: Page) -> None:
    """Chromium's virtual authenticator: a platform passkey that says yes by itself."""
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def test_a_passkey_is_set_up_instead_and_then_signs_in(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    social_worker: User,
) -> None:
    context = browser.new_context()
    page = context.new_page()
    _virtual_authenticator(context, page)
    journey = Journey(page, live_server.url)
    page.goto(f"{live_server.url}/sign-in/")
    _password(page, social_worker)
    _heading(page, "Set up a second factor")
    page.get_by_role("button", name="Set up a passkey").click()
    _heading(page, "Your recovery codes")
    assert Passkey.objects.filter(user=social_worker).count() == 1
    page.get_by_role("button", name="I have kept my recovery codes").click()
    _heading(page, "My work")

    _sign_out(page)
    page.goto(f"{live_server.url}/sign-in/")
    _password(page, social_worker)
    _heading(page, "Enter your code")
    expect(page.get_by_role("button", name="Use a passkey")).to_be_visible()
    journey.check("enter your code, with a passkey")
    page.get_by_role("button", name="Use a passkey").click()
    _heading(page, "My work")
    assert Passkey.objects.get().last_used_at is not None


def test_sending_the_minutes_asks_for_the_second_factor_again_after_15_minutes(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    social_worker: User,
    team_manager: User,
    police_officer: User,
) -> None:
    discussion = held(social_worker, team_manager, police_officer)
    approved_minutes(discussion, team_manager)
    recipients_build(user=team_manager, discussion=discussion)
    context = browser.new_context()
    journey = Journey(context.new_page(), live_server.url)
    page = journey.page
    journey.sign_in(team_manager)
    distribution = f"{live_server.url}/discussions/{discussion.pk}/distribution/"
    page.goto(distribution)
    [session] = [c for c in context.cookies() if c["name"] == "sessionid"]
    age_second_factor(session["value"], timedelta(minutes=16))

    send = page.get_by_role("button", name="Send version 1 to everyone not yet sent it")
    send.click()
    _heading(page, "Confirm it is you")
    journey.check("confirm it is you")
    assert not _minutes_sent()
    page.get_by_label("Code from your authenticator app").fill(
        unused_app_code(app_device(team_manager))
    )
    page.get_by_role("button", name="Continue").click()
    assert page.url == distribution
    send.click()
    expect(page.get_by_text("Minutes version 1 sent to 4 recipients")).to_be_visible()
    assert len(_minutes_sent()) == 4
