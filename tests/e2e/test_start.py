"""The start page in a real browser, in the demo: it leads to signing in and lists each
role's demo account. axe checks it against WCAG 2.2 AA, vnu as HTML, and at 375 px wide
nothing scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from strategise.organisations.models import Role
from tests.e2e.test_journey import Journey, browser  # noqa: F401 - a fixture
from tests.factories import AgencyFactory, LocalAuthorityFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_newcomer_finds_how_to_sign_in_to_the_demo(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    settings: Any,
) -> None:
    settings.STRATEGISE_DEMO_SIGN_IN = True
    sandwell = LocalAuthorityFactory.create(
        name="Demo Sandwell", slug="demo-sandwell", profile="sandwell"
    )
    LocalAuthorityFactory.create(name="Demo Bristol", slug="demo-bristol", profile="bristol")
    care = AgencyFactory.create(local_authority=sandwell, name="Demo Sandwell Children's Services")
    for username, role in (
        ("sw.sandwell", Role.SOCIAL_WORKER),
        ("tm.sandwell", Role.TEAM_MANAGER),
        ("analyst.sandwell", Role.PERFORMANCE_ANALYST),
    ):
        UserFactory.create(username=username, agency=care, role=role)
    for width in (1024, 375):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        journey = Journey(page, live_server.url)
        page.goto(f"{live_server.url}/")
        expect(page.get_by_role("heading", name="Signing in to the demo")).to_be_visible()
        expect(page.get_by_role("cell", name="tm.sandwell")).to_be_visible()
        journey.check(f"start, in the demo, {width} px")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
        context.close()
