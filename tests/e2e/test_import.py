"""The import page in a real browser: a head of service checks a file with bad rows (the
error summary and the table of problems), then a good one, and imports it. axe checks each
page state, vnu at the end of the session, and each state fits a 375 px screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from strategise.cases.models import Adult, Child
from strategise.organisations.models import LocalAuthority, Role, User
from tests.e2e.test_journey import Journey, browser  # noqa: F401 - a fixture
from tests.e2e.test_narrow_screens import NARROW, too_wide
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HEADER = "type,first_name,last_name,date_of_birth,local_reference,child_reference,relationship\n"
BAD = HEADER + "child,Leo,,31/02/2019,MOS0002,,\nadult,Grace,Okafor,1988-01-30,,MOS9999,parent\n"
GOOD = (
    HEADER
    + "child,Amara,Okafor,2016-04-12,MOS0001,,\nadult,Grace,Okafor,1988-01-30,,MOS0001,parent\n"
)


def test_a_head_of_service_checks_a_file_then_imports_a_good_one(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    authority: LocalAuthority,
    tmp_path: Path,
) -> None:
    head = UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.HEAD_OF_SERVICE
    )
    checked: list[str] = []
    journey = Journey(browser.new_context(viewport=NARROW).new_page(), live_server.url, checked)
    page = journey.page
    journey.sign_in(head)
    # At 375 px the navigation is behind its menu button: straight to the children.
    page.goto(f"{live_server.url}/children/")
    page.get_by_role(
        "link", name="Import children and adults from the case system’s export"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import children and adults")
    journey.check("import, choose a file")
    assert too_wide(page) is None

    bad = tmp_path / "people.csv"
    bad.write_text(BAD)
    page.get_by_label("The export to check").set_input_files(bad)
    page.get_by_role("button", name="Check the file").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("3 problems in people.csv")
    expect(summary).to_contain_text("row 2, column last_name: Enter the child's last name")
    expect(page.get_by_role("table")).to_contain_text(
        "No child with the reference MOS9999 is in the file or recorded"
    )
    journey.check("import, a file with bad rows")
    assert too_wide(page) is None
    assert not Child.objects.exists()

    good = tmp_path / "fixed.csv"
    good.write_text(GOOD)
    page.get_by_label("The export to check").set_input_files(good)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="fixed.csv: every row is good")).to_be_visible()
    journey.check("import, a good file checked")
    assert too_wide(page) is None
    assert not Child.objects.exists()
    page.get_by_role("button", name="Import 2 people").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Imported 1 children and 1 adults from fixed.csv"
    )
    journey.check("import, done")
    assert Child.objects.get().local_reference == "MOS0001"
    assert Adult.objects.count() == 1
    assert len(checked) == 4


def test_nobody_else_is_offered_the_import(
    browser: Browser,  # noqa: F811
    live_server: LiveServer,
    team_manager: User,
) -> None:
    journey = Journey(browser.new_context().new_page(), live_server.url)
    journey.sign_in(team_manager)
    journey.page.get_by_role("link", name="Children", exact=True).click()
    expect(journey.page.get_by_role("link", name="Import children and adults")).to_have_count(0)
