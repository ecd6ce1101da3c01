"""The language of the record in a real browser: the chair types "she keeps putting
herself at risk" into the record and the advice appears under the field, with its
alternatives. axe checks the page state against WCAG 2.2 AA, and the Nu checker reads it
(tests/e2e/conftest.py). The flags shown on saving, without JavaScript, are tested in
tests/web/recording/test_language.py."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from strategise.organisations.models import User
from tests.e2e.test_journey import Journey, browser  # noqa: F401 - a fixture
from tests.web.recording.support import started

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ADVICE = "Think about the words “putting herself at risk”"
ALTERNATIVE = "The child is being exploited / groomed / coerced by (name the adults)"


def test_the_advice_appears_as_the_chair_types(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    social_worker: User,
    team_manager: User,
    police_officer: User,
) -> None:
    discussion = started(social_worker, team_manager, police_officer)
    record = f"/discussions/{discussion.pk}/record/"

    context = browser.new_context(base_url=live_server.url)
    journey = Journey(context.new_page(), live_server.url)
    page = journey.page
    journey.sign_in(team_manager)
    page.goto(record)
    advice = page.locator("#background-language")
    expect(advice).to_be_empty()
    page.locator("#background").press_sequentially("she keeps putting herself at risk")
    expect(advice).to_contain_text(ADVICE)
    expect(advice).to_contain_text(ALTERNATIVE)
    expect(advice).to_contain_text("Source: The Children's Society and NAPAC")
    # Advice only: nothing typed is changed, and the other fields have none.
    expect(page.locator("#background")).to_have_value("she keeps putting herself at risk")
    expect(page.locator("#reason-language")).to_be_empty()
    journey.check("record, with language advice as you type")
