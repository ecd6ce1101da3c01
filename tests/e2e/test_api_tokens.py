"""API tokens in a real browser: a manager makes one from their account (errors first),
sees it once, and revokes it; the API's docs page works from the site's own files, with
nothing blocked by the Content Security Policy. axe checks each page state (WCAG 2.2 AA),
vnu its HTML, and the page with a token on it fits a 375 px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from strategise.organisations.models import ApiToken, User
from tests.e2e.test_journey import Journey, browser  # noqa: F401 - a fixture

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_manager_makes_a_token_sees_it_once_and_revokes_it(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    team_manager: User,
) -> None:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 812})
    journey = Journey(context.new_page(), live_server.url)
    page = journey.page
    journey.sign_in(team_manager)
    page.goto("/account/")
    page.get_by_role("link", name="Your API tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    journey.check("API tokens, none yet")

    page.get_by_role("button", name="Make the token").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a name for the token")
    journey.check("API tokens, with errors")

    page.get_by_label("Name").fill("Mosaic nightly import")
    page.get_by_label("Read case records", exact=True).check()
    page.get_by_label("30 days").check()
    page.get_by_role("button", name="Make the token").click()
    token = page.locator("#new-token")
    expect(token).to_contain_text("stg_")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    journey.check("API tokens, one just made")
    text = token.inner_text()
    assert ApiToken.objects.get(user=team_manager).prefix == text[:12]

    page.goto("/account/api-tokens/")
    expect(page.locator("#new-token")).to_have_count(0)
    assert text not in page.content()
    page.get_by_role("button", name="Revoke Mosaic nightly import").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("revoked")
    expect(page.get_by_role("button", name="Revoke Mosaic nightly import")).to_have_count(0)
    journey.check("API tokens, one revoked")
    context.close()


def test_the_docs_page_works_with_nothing_from_elsewhere(
    browser: Browser,  # noqa: F811
    live_server: LiveServer,
) -> None:
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    blocked: list[str] = []
    elsewhere: list[str] = []
    page.on(
        "console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None
    )
    page.on(
        "request",
        lambda r: (
            None
            if r.url.startswith(live_server.url) or r.url.startswith("data:")
            else elsewhere.append(r.url)
        ),
    )
    page.goto("/api/v1/docs")
    expect(page.get_by_text("Raise a request")).to_be_visible()
    expect(page.get_by_text("Strategise API")).to_be_visible()
    assert blocked == []
    assert elsewhere == []
    context.close()
