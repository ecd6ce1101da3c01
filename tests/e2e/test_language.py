"""The language of the record in a real browser: the chair types "she keeps putting
herself at risk" into the record and the advice appears under the field, with its
alternatives. axe checks the page state against WCAG 2.2 AA, and the Nu checker reads it
(tests/e2e/conftest.py). Without JavaScript, the flags of a saved contribution show on the
page after saving, and the text is saved as typed. The chair, concluding, sees the record's
flags and keeps one with a reason; before approving the minutes, the flagged words the
minute-taker added are kept with a reason, and the annex lists them."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from strategise.discussions.concluding import discussion_conclude
from strategise.discussions.models import Discussion
from strategise.discussions.recording import record_save
from strategise.minutes.services import minutes_draft, minutes_reword
from strategise.minutes.wording import passages
from strategise.organisations.models import User
from tests.e2e.test_journey import Journey, browser  # noqa: F401 - a fixture
from tests.web.recording.support import LATER, complete, started

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def assert_fits_a_phone(page: Page) -> None:
    """At 375 px wide the page does not scroll sideways (as tests/e2e/test_narrow_screens.py)."""
    size = page.viewport_size
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    if size is not None:
        page.set_viewport_size(size)


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


def test_without_javascript_the_flags_show_after_saving_a_contribution(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    social_worker: User,
    team_manager: User,
    police_officer: User,
) -> None:
    discussion = started(social_worker, team_manager, police_officer)
    police = discussion.invitations.get(agency_code="police")
    typed = "Police know Amara. She keeps putting herself at risk by going to the flat."

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    journey = Journey(context.new_page(), live_server.url)
    page = journey.page
    journey.sign_in(team_manager)
    page.goto(f"/discussions/{discussion.pk}/contributions/{police.pk}/")
    page.locator("#text").fill(typed)
    page.get_by_role("button", name="Save the contribution").click()

    saved = page.locator(".app-language-saved")
    expect(saved).to_contain_text("Words to think about")
    expect(saved).to_contain_text("What did the agency share?")
    expect(saved).to_contain_text(ADVICE)
    expect(saved).to_contain_text(ALTERNATIVE)
    expect(saved.get_by_role("link", name="Change the words")).to_have_attribute(
        "href", f"/discussions/{discussion.pk}/contributions/{police.pk}/#text"
    )
    police.contribution.refresh_from_db()
    assert police.contribution.text == typed
    context.close()

    # axe runs in the page, so the same state is read with JavaScript on: saving again.
    context = browser.new_context(base_url=live_server.url)
    journey = Journey(context.new_page(), live_server.url)
    page = journey.page
    journey.sign_in(team_manager)
    page.goto(f"/discussions/{discussion.pk}/contributions/{police.pk}/")
    page.get_by_role("button", name="Save the contribution").click()
    expect(page.locator(".app-language-saved")).to_contain_text(ADVICE)
    journey.check("record after saving a contribution with flagged words")


def _signed_in(chromium: Browser, live_server: LiveServer, user: User) -> Journey:
    """A new browser context, signed in as ``user`` with their second factor."""
    context = chromium.new_context(base_url=live_server.url)
    journey = Journey(context.new_page(), live_server.url)
    journey.sign_in(user)
    return journey


def _recorded(
    social_worker: User, team_manager: User, police_officer: User, background: str
) -> Discussion:
    """A discussion ready to conclude, its record's background saved by the chair."""
    discussion = complete(started(social_worker, team_manager, police_officer), team_manager)
    record_save(
        user=team_manager,
        discussion=discussion,
        values={"background": background},
        expected_version=discussion.record.version,
        now=LATER,
    )
    return discussion


def test_the_chair_sees_the_records_flags_when_concluding_and_keeps_one_with_a_reason(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    social_worker: User,
    team_manager: User,
    police_officer: User,
) -> None:
    discussion = _recorded(
        social_worker, team_manager, police_officer, "Mum says Amara is putting herself at risk."
    )

    journey = _signed_in(browser, live_server, team_manager)
    page = journey.page
    page.goto(f"/discussions/{discussion.pk}/conclude/")
    review = page.locator(".app-language-review")
    expect(review).to_have_count(1)
    expect(review).to_contain_text("Relevant background")
    expect(review).to_contain_text("“putting herself at risk”")
    journey.check("concluding, with the record's flags")
    assert_fits_a_phone(page)

    review.get_by_role("link", name="Keep the words, with a reason").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Keep the words “putting herself at risk”"
    )
    journey.check("keeping flagged words, with a reason")
    assert_fits_a_phone(page)
    page.get_by_role("button", name="Keep the words").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Give the reason for keeping these words"
    )
    journey.check("keeping flagged words, no reason given")
    page.get_by_label("Why keep these words?").fill("They are the mother's words, reported.")
    page.get_by_role("button", name="Keep the words").click()
    expect(page.locator("#language")).to_be_visible()
    expect(review).to_have_count(0)
    expect(page.get_by_text("They are the mother's words, reported.")).to_be_visible()
    # Nothing is blocked: the chair concludes.
    page.get_by_role("button", name="Conclude the discussion").click()
    expect(page.get_by_text("Discussion concluded")).to_be_visible()


def test_the_chair_keeps_the_minute_takers_flagged_wording_before_approving(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    social_worker: User,
    team_manager: User,
    police_officer: User,
) -> None:
    discussion = _recorded(
        social_worker, team_manager, police_officer, "Known to the school nurse."
    )
    discussion = discussion_conclude(user=team_manager, discussion=discussion, now=LATER)
    draft = minutes_draft(user=social_worker, discussion=discussion, now=LATER)
    passage = next(p for p in passages(draft.generated) if p.id == "background")
    minutes_reword(
        user=social_worker,
        minutes=draft,
        wording={"background": f"{passage.text} She keeps putting herself at risk."},
        revision=draft.revision,
    )

    journey = _signed_in(browser, live_server, team_manager)
    page = journey.page
    page.goto(f"/discussions/{discussion.pk}/minutes/")
    review = page.locator(".app-language-review")
    expect(review).to_have_count(1)
    expect(review).to_contain_text("The minutes’ wording of")
    page.get_by_role("button", name="Approve version 1").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Keep the words “putting herself at risk”"
    )
    journey.check("minutes, approval held for the wording's flags")
    assert_fits_a_phone(page)
    review.get_by_role("link", name="Keep the words, with a reason").click()
    page.get_by_label("Why keep these words?").fill("The police officer's words, reported.")
    page.get_by_role("button", name="Keep the words").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Minutes")
    expect(review).to_have_count(0)
    page.get_by_role("button", name="Approve version 1").click()
    expect(page.get_by_text("Minutes version 1 approved")).to_be_visible()
    expect(page.get_by_text("because: The police officer's words, reported.")).to_be_visible()
    journey.check("minutes approved, the kept words in the annex")
