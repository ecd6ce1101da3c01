"""Signing in, in a real browser: a lockout after wrong passwords and an administrator
unlocking it, the account administration's pages, a session ending when idle, your own
account, and a forgotten password reset by email. axe checks each new page state."""

from __future__ import annotations

import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from strategise.organisations.models import LocalAuthority, Team, User
from strategise.organisations.sessions import SEEN_KEY
from tests.e2e.test_journey import Journey, browser  # noqa: F401 - a fixture
from tests.factories import PASSWORD, TeamFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "quiet lantern meadow 47"


def _heading(page: Page, words: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(words)


def _password(page: Page, username: str, password: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def _error(page: Page) -> str:
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    return summary.inner_text()


def _banner(page: Page) -> str:
    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_be_visible()
    return banner.inner_text()


def _idle(session_key: str, by: timedelta) -> None:
    """Make the browser's session's last request ``by`` longer ago."""
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    session[SEEN_KEY] = session[SEEN_KEY] - by.total_seconds()
    session.save()


def test_a_locked_out_account_is_unlocked_by_an_administrator(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    authority: LocalAuthority,
    social_worker: User,
    team_manager: User,
    administrator: User,
) -> None:
    checked: list[str] = []
    person = Journey(browser.new_context().new_page(), live_server.url, checked)
    page = person.page
    page.goto(f"{live_server.url}/sign-in/")
    for _ in range(5):
        _password(page, social_worker.username, "not the password")
    assert "This account has been locked because the password was wrong 5 times" in _error(page)
    person.check("sign in, locked out")
    _password(page, social_worker.username, PASSWORD)
    assert "has been locked" in _error(page)

    team = TeamFactory.create(agency=team_manager.agency, name="Assessment team")
    admin = Journey(browser.new_context().new_page(), live_server.url, checked)
    a = admin.page
    admin.sign_in(administrator)
    a.get_by_role("link", name="Accounts").click()
    _heading(a, "Accounts")
    admin.check("accounts")
    a.get_by_label("Find an account").fill(social_worker.last_name)
    a.get_by_role("button", name="Search").click()
    admin.check("accounts, searched")
    a.get_by_role("link", name=social_worker.get_full_name()).click()
    _heading(a, social_worker.get_full_name())
    expect(a.get_by_text("Locked out after wrong passwords until")).to_be_visible()
    admin.check("an account, locked out")
    a.get_by_role("button", name="Unlock the account").click()
    assert "unlocked: they can sign in again" in _banner(a)
    admin.check("an account, unlocked")

    person.sign_in(social_worker)

    # The rest of the administration's pages.
    a.get_by_role("link", name="Change their details").click()
    _heading(a, "Change their details")
    admin.check("change their details")
    a.get_by_label("Email address").fill("not an email")
    a.get_by_role("button", name="Save").click()
    assert "Enter an email address like name@example.gov.uk" in _error(a)
    admin.check("change their details, with errors")
    a.get_by_role("link", name="Cancel").click()
    a.get_by_role("button", name="Deactivate the account").click()
    assert "deactivated: their sessions have ended" in _banner(a)
    admin.check("an account, deactivated")
    page.reload()
    _heading(page, "Sign in")

    a.get_by_role("link", name="All accounts").click()
    a.get_by_role("link", name="Create an account").click()
    _heading(a, "Create an account")
    admin.check("create an account")
    a.get_by_role("button", name="Create the account").click()
    assert "Enter a username" in _error(a)
    admin.check("create an account, with errors")
    a.get_by_label("Username").fill("sam.jones")
    a.get_by_label("First name").fill("Sam")
    a.get_by_label("Last name").fill("Jones")
    a.get_by_label("Email address").fill("sam.jones@example.gov.uk")
    a.get_by_label("Agency").select_option(label=team.agency.name)
    a.get_by_label("Team").select_option(label=f"{team.name} ({team.agency.name})")
    a.get_by_label("Role").select_option(label="Social worker")
    a.get_by_role("button", name="Create the account").click()
    _heading(a, "Sam Jones")
    assert "Account sam.jones created" in _banner(a)
    admin.check("an account, created")

    a.get_by_role("link", name="All accounts").click()
    a.get_by_role("link", name="Teams and their managers").click()
    _heading(a, "Teams")
    admin.check("teams")
    a.get_by_role("link", name="Assessment team").click()
    admin.check("a team")
    a.get_by_label("Manager").select_option(label=f"{team_manager} (Team manager)")
    a.get_by_role("button", name="Save").click()
    assert f"Assessment team: manager is now {team_manager}" in _banner(a)
    assert Team.objects.get(pk=team.pk).manager == team_manager
    assert len(checked) == 13


def test_an_idle_session_ends_and_a_forgotten_password_is_reset(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    social_worker: User,
) -> None:
    context = browser.new_context()
    journey = Journey(context.new_page(), live_server.url)
    page = journey.page
    journey.sign_in(social_worker)
    page.get_by_role("link", name="Your account").click()
    _heading(page, "Your account")
    journey.check("your account")
    page.get_by_role("link", name="Change your password").click()
    _heading(page, "Change your password")
    journey.check("change your password")
    page.get_by_role("button", name="Change password").click()
    assert "Enter your current password" in _error(page)
    journey.check("change your password, with errors")

    [session] = [c for c in context.cookies() if c["name"] == "sessionid"]
    _idle(session["value"], timedelta(minutes=31))
    page.get_by_role("link", name="My work").click()
    _heading(page, "Sign in")
    assert "You were signed out because you had not used Strategise for 30 minutes" in _banner(page)
    journey.check("sign in, after an idle session")

    page.get_by_role("link", name="Forgotten your password?").click()
    _heading(page, "Reset your password")
    journey.check("reset your password")
    page.get_by_role("button", name="Send the link").click()
    assert "Enter your email address" in _error(page)
    journey.check("reset your password, with errors")
    page.get_by_label("Email address").fill(social_worker.email)
    page.get_by_role("button", name="Send the link").click()
    _heading(page, "Check your email")
    journey.check("check your email")

    [email] = mail.outbox
    found = re.search(r"http://127\.0\.0\.1:8000(/sign-in/new-password/\S+/)", str(email.body))
    assert found is not None
    link = f"{live_server.url}{found.group(1)}"
    page.goto(link)
    _heading(page, "Choose a new password")
    journey.check("choose a new password")
    page.get_by_label("New password", exact=True).fill("strategise-for-ever")
    page.get_by_label("New password again").fill("strategise-for-ever")
    page.get_by_role("button", name="Save the new password").click()
    assert "must not contain the name of the service" in _error(page)
    journey.check("choose a new password, with errors")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    assert "Your password has been changed. Sign in with it" in _banner(page)
    page.goto(link)
    _heading(page, "This link does not work")
    journey.check("this link does not work")

    page.goto(f"{live_server.url}/sign-in/")
    _password(page, social_worker.username, NEW_PASSWORD)
    _heading(page, "Enter your code")
