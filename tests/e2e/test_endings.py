"""Ending and changing in a real browser: a manager reschedules a convened discussion,
then cancels it, and closes its request without a discussion; a partner agency reads a
child's household. axe checks every page (and its error states) against WCAG 2.2 AA."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from strategise.discussions.models import DiscussionStatus
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.requests.models import RequestStatus
from tests.e2e.test_journey import Journey, browser  # noqa: F401 - a fixture
from tests.factories import (
    DiscussionFactory,
    InvitationFactory,
    StrategyRequestFactory,
    UserFactory,
)
from tests.web.recording.support import siblings

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _heading(page: Page, words: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(words)


def test_a_manager_moves_cancels_and_closes_and_a_partner_reads_a_household(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    authority: LocalAuthority,
    social_worker: User,
    police_officer: User,
) -> None:
    manager = UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.TEAM_MANAGER
    )
    amara, _kofi = siblings(social_worker)
    request = StrategyRequestFactory.create(
        local_authority=authority, raised_by=social_worker, children=[amara]
    )
    discussion = DiscussionFactory.create(request=request, chair=manager)
    InvitationFactory.create(discussion=discussion, user=police_officer)

    context = browser.new_context(base_url=live_server.url)
    journey = Journey(context.new_page(), live_server.url)
    page = journey.page
    journey.sign_in(manager)

    # Rescheduled, with the reason.
    page.goto(f"/discussions/{discussion.pk}/")
    page.get_by_role("button", name="Reschedule").click()
    _heading(page, "Reschedule the strategy discussion")
    page.get_by_role("button", name="Move it and tell the invitees").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date")
    journey.check("reschedule, with errors")
    later = timezone.localtime(discussion.scheduled_for + timedelta(days=2))
    journey.fill_date("scheduled_date", later.day, later.month, later.year)
    page.get_by_label("At what time?").fill("10:30")
    page.get_by_label("Why is it being moved?").fill("The chair is in court that day")
    journey.check("reschedule")
    page.get_by_role("button", name="Move it and tell the invitees").click()
    expect(page.get_by_text("Strategy discussion moved and invitees told")).to_be_visible()
    expect(page.get_by_text("The chair is in court that day")).to_be_visible()

    # Cancelled: the request waits to be convened again.
    page.get_by_role("button", name="Cancel the discussion").click()
    _heading(page, "Cancel the strategy discussion")
    page.get_by_role("button", name="Cancel the discussion").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason")
    journey.check("cancel, with errors")
    page.get_by_label("Why is it being cancelled?").fill("Early help will support the family")
    page.get_by_role("button", name="Cancel the discussion").click()
    expect(page.get_by_text("Strategy discussion cancelled and invitees told")).to_be_visible()
    discussion.refresh_from_db()
    assert discussion.status == DiscussionStatus.CANCELLED

    # Closed without a discussion, with the manager's reason.
    page.get_by_role("button", name="Close without a discussion").click()
    _heading(page, "Close the request without a strategy discussion")
    journey.check("close a request")
    page.get_by_label("Why is no strategy discussion needed?").fill(
        "Early help is supporting the family; no significant harm is suspected."
    )
    page.get_by_role("button", name="Close the request").click()
    expect(page.locator("#ended")).to_contain_text("Closed without a discussion")
    journey.check("request, closed")
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED

    # The police, invited to Amara's discussion, see only her of her household.
    partner = browser.new_context(base_url=live_server.url)
    reader = Journey(partner.new_page(), live_server.url, journey.checked)
    reader.sign_in(police_officer)
    reader.page.goto(f"/children/{amara.pk}/")
    expect(reader.page.locator("#household-shared")).to_have_text(
        "You can see 1 of the children in this household: others may be recorded that are "
        "not shared with you."
    )
    reader.check("child, seen by a partner")
    context.close()
    partner.close()
