"""Work named by people, in a real browser: a social worker's work names the children and
what she must do, her caseload lists her children and her team's open work, and "lilly
price" finds Lily Price. axe checks each page against WCAG 2.2 AA (and vnu its HTML), on a
desktop screen and on a 375 px one, where nothing may scroll the page sideways.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from strategise.organisations.models import LocalAuthority, Role, User
from tests.e2e.test_journey import Journey, browser  # noqa: F401 - a fixture
from tests.e2e.test_narrow_screens import NARROW, too_wide
from tests.factories import ChildFactory, StrategyRequestFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_social_worker_reads_her_work_by_name_and_finds_lilly_price(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    authority: LocalAuthority,
) -> None:
    social_care = authority.agencies.get(kind="childrens_social_care")
    team = TeamFactory.create(agency=social_care, name="Assessment team West")
    worker = UserFactory.create(
        agency=social_care, team=team, role=Role.SOCIAL_WORKER, first_name="Sam", last_name="Reid"
    )
    colleague: User = UserFactory.create(agency=social_care, team=team, first_name="Jo")
    lily = ChildFactory.create(local_authority=authority, first_name="Lily", last_name="Price")
    ChildFactory.create(local_authority=authority, first_name="Tom", last_name="Jones")
    zara = ChildFactory.create(local_authority=authority, first_name="Zoë", last_name="Ahmed")
    StrategyRequestFactory.create(local_authority=authority, raised_by=worker, children=[lily])
    StrategyRequestFactory.create(local_authority=authority, raised_by=colleague, children=[zara])

    context = browser.new_context(base_url=live_server.url)
    journey = Journey(context.new_page(), live_server.url)
    page = journey.page
    journey.sign_in(worker)

    for width in ("desktop", "narrow"):
        if width == "narrow":
            page.set_viewport_size(NARROW)
        page.goto(f"{live_server.url}/my-work/")
        work = page.get_by_role("region", name="What needs you")
        expect(work).to_contain_text("Convene a strategy discussion")
        expect(work).to_contain_text("For Lily Price")
        expect(work).to_contain_text("For Zoë Ahmed")
        expect(work).not_to_contain_text("request ")
        journey.check(f"my work, named ({width})")
        assert too_wide(page) is None

        page.get_by_role("link", name="My children").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("My children")
        expect(page.get_by_role("link", name="Lily Price")).to_be_visible()
        expect(page.get_by_role("region", name="Your children")).not_to_contain_text("Zoë")
        journey.check(f"my children ({width})")
        assert too_wide(page) is None

        page.get_by_role("link", name="My team's work").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("My team's work")
        requests = page.get_by_role("region", name="Your team's open requests")
        expect(requests).to_contain_text("Lily Price")
        expect(requests).to_contain_text("Zoë Ahmed")
        journey.check(f"my team's work ({width})")
        assert too_wide(page) is None

        # A letter too many, in lower case: she is found all the same; Tom is not.
        if width == "narrow":
            # The service navigation folds behind its "Menu" button on a small screen.
            page.get_by_role("button", name="Menu").click()
        page.get_by_role("link", name="Children", exact=True).click()
        page.get_by_label("Name, other name or reference").fill("lilly price")
        page.get_by_role("button", name="Search").click()
        expect(page.locator("#results")).to_have_text("1 child found")
        expect(page.get_by_role("link", name="Lily Price")).to_be_visible()
        expect(page.get_by_role("link", name="Tom Jones")).to_have_count(0)
        journey.check(f"children, a search with a typo ({width})")
        assert too_wide(page) is None

        # No accent typed: Zoë is found.
        page.get_by_label("Name, other name or reference").fill("zoe ahmed")
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_role("link", name="Zoë Ahmed")).to_be_visible()
    context.close()
