"""Oversight in a real browser: a team manager finds what is overdue across their
authority, filters it, records a clock met and stops another, reads a month's reports and
downloads a figure; an invited police officer raises a professional disagreement and the
manager moves it to the procedure's next stage. axe checks every page (and its error
states) against WCAG 2.2 AA.

The cases are built through the services: a discussion held in March 2026 (so its clocks
are long overdue), an overdue police action, and a request waiting to be convened.
"""

from __future__ import annotations

import csv
import io
import re
import time
from datetime import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from strategise.clocks.services import clocks_mark_breached
from strategise.disagreements.models import Disagreement
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.policy import LONDON
from tests.clocks.support import held_discussion
from tests.e2e.test_journey import SCREENSHOTS, Journey, browser  # noqa: F401 - a fixture
from tests.factories import StrategyRequestFactory, TeamFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _summary(page: Page) -> str:
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    return summary.inner_text()


def _heading(page: Page, words: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(words)


def test_a_manager_oversees_reports_and_moves_a_disagreement_on(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    authority: LocalAuthority,
    police_officer: User,
    tmp_path: Path,
) -> None:
    started_at = time.monotonic()
    shots = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    social_care = authority.agencies.get(kind="childrens_social_care")
    team = TeamFactory.create(agency=social_care, name="Assessment team West")
    manager = UserFactory.create(
        agency=social_care,
        team=team,
        role=Role.TEAM_MANAGER,
        first_name="Nadia",
        last_name="Iqbal",
    )
    team.manager = manager
    team.save(update_fields=["manager"])
    worker = UserFactory.create(agency=social_care, team=team, first_name="Sam", last_name="Reid")
    police_officer.first_name, police_officer.last_name = "Owen", "Lloyd"
    police_officer.save(update_fields=["first_name", "last_name"])

    # Held on Wednesday 4 March 2026, chaired by the manager, the police invited.
    held = held_discussion(
        worker,
        manager,
        users={"police": police_officer},
        actions=[
            {
                "description": "Check police records for the adults in the household",
                "agency_code": "police",
                "due_at": datetime(2026, 3, 10, 17, 0, tzinfo=LONDON),
                "owner": police_officer,
            }
        ],
    )
    StrategyRequestFactory.create(local_authority=authority, raised_by=worker)
    clocks_mark_breached(now=timezone.now())

    context = browser.new_context(base_url=live_server.url)
    journey = Journey(context.new_page(), live_server.url)
    page = journey.page

    # The manager: overdue alerts are waiting, and oversight is in the navigation.
    journey.sign_in(manager)
    expect(page.get_by_role("link", name="Notifications (")).to_contain_text("unread")
    page.get_by_role("link", name="Oversight", exact=True).click()
    _heading(page, "Oversight")
    expect(page.get_by_role("link", name="Oversight", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator("#actions ~ .app-scrolling table").first).to_contain_text(
        "Check police records"
    )
    journey.check("oversight")
    page.screenshot(path=str(shots / "strategise-oversight.png"), full_page=True)

    # Filtered to the police: their overdue action, none of social care's clocks.
    page.get_by_label("Agency").select_option(label="Police")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_text("No clocks are overdue that match the filters.")).to_be_visible()
    expect(page.get_by_role("link", name="Check police records")).to_be_visible()
    expect(page.get_by_label("Agency")).to_have_value("police")
    journey.check("oversight, filtered")
    page.get_by_role("link", name="Clear filters").click()

    # The clocks: the conference was held, late; the assessment no longer applies.
    page.get_by_role("link", name="Initial child protection conference held").first.click()
    _heading(page, "Clocks")
    expect(page.locator("#discussion-clocks")).to_contain_text("Overdue")
    journey.check("clocks")
    page.screenshot(path=str(shots / "strategise-clocks.png"), full_page=True)
    # (Chromium reads a space before the visually hidden part of a link's name.)
    page.get_by_role(
        "link", name=re.compile(r"^Record when it happened ?: initial child protection conference")
    ).click()
    _heading(page, "Initial child protection conference held")
    journey.check("record a clock met")
    page.get_by_role("button", name="Record it as met").click()
    summary = _summary(page)
    assert "Enter the date it happened" in summary
    assert "Enter the time it happened" in summary
    journey.check("record a clock met, with errors")
    journey.fill_date("at_date", 27, 3, 2026)
    page.get_by_label("Time it happened").fill("14:30")
    page.get_by_role("button", name="Record it as met").click()
    expect(
        page.get_by_text("Initial child protection conference held: recorded as met late")
    ).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Stop this clock ?: assessment completed")).click()
    journey.check("stop a clock")
    page.get_by_label("Why it no longer applies").fill(
        "The family moved to Leeds; their children's services have taken the case on."
    )
    page.get_by_role("button", name="Stop the clock").click()
    expect(page.get_by_text("Assessment completed: clock stopped")).to_be_visible()
    journey.check("clocks, one met late and one stopped")

    # March's figures, and one of them downloaded.
    page.get_by_role("link", name="Reports", exact=True).click()
    _heading(page, "Performance reports")
    journey.fill_date("from", 1, 3, 2026)
    journey.fill_date("to", 31, 3, 2026)
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_text("Figures for 1 March 2026 to 31 March 2026.")).to_be_visible()
    journey.check("reports, March 2026")
    with page.expect_download() as download:
        page.get_by_role(
            "link", name=re.compile(r"^Download this table as a spreadsheet \(CSV\) ?: Actions")
        ).click()
    assert download.value.suggested_filename == ("strategise-actions-2026-03-01-to-2026-03-31.csv")
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text("utf-8-sig"))))
    assert rows[0][:3] == ["Actions due", "Done on time", "Done late"]
    # The police check, due 10 March, is still open: overdue.
    assert rows[1] == ["Actions agreed at strategy discussions", "0", "0", "1", "0", "0", "0.0%"]

    # The police officer disagrees with the discussion's outcome.
    police_context = browser.new_context(base_url=live_server.url)
    police = Journey(police_context.new_page(), live_server.url, journey.checked)
    police.sign_in(police_officer)
    police.page.goto(f"{live_server.url}/discussions/{held.pk}/disagreements/new/")
    _heading(police.page, "Raise a professional disagreement")
    police.check("raise a disagreement")
    police.page.get_by_role("button", name="Raise the disagreement").click()
    summary = _summary(police.page)
    assert "Select what the disagreement is about" in summary
    assert "Describe the difference of opinion and why" in summary
    police.check("raise a disagreement, with errors")
    police.page.get_by_label("The outcome of a strategy discussion").check()
    police.page.get_by_label("What is the difference of opinion, and why?").fill(
        "The police view is that the threshold for a joint section 47 enquiry is not met: "
        "a single-agency enquiry by children's social care would do."
    )
    police.page.get_by_role("button", name="Raise the disagreement").click()
    expect(police.page.get_by_text("Professional disagreement raised")).to_be_visible()
    stage = police.page.locator(".govuk-summary-list__row").filter(has_text="Stage")
    expect(stage).to_contain_text("Senior managers")
    expect(stage).to_contain_text("Source: Sandwell procedure §12.0")
    police.check("disagreement, raised")
    police_context.close()
    disagreement = Disagreement.objects.get()

    # The manager finds it from oversight and escalates it to the service manager.
    page.get_by_role("link", name="Oversight", exact=True).click()
    page.get_by_role("link", name="All open professional disagreements").click()
    _heading(page, "Professional disagreements")
    journey.check("disagreements")
    page.locator(f'a[href="/disagreements/{disagreement.pk}/"]').first.click()
    _heading(page, f"Professional disagreement {disagreement.pk}")
    journey.check("disagreement")
    page.get_by_role("button", name="Escalate to the next stage").click()
    _heading(page, "Escalate to the next stage")
    journey.check("escalate")
    page.get_by_role("button", name="Escalate").click()
    summary = _summary(page)
    assert "Say why it is being escalated and what has been tried" in summary
    assert "Enter the name of the person who holds it next" in summary
    journey.check("escalate, with errors")
    page.get_by_label("Why is it being escalated, and what has been tried?").fill(
        "Senior managers met on 6 March and could not agree."
    )
    page.get_by_label("Their name and role").fill("Grace Obi, partnership business manager")
    page.get_by_label("Their email address").fill("grace.obi@example.org")
    page.get_by_role("button", name="Escalate").click()
    expect(
        page.get_by_text("Escalated to the next stage: Safeguarding partnership escalation policy")
    ).to_be_visible()
    expect(page.get_by_text("emailed at grace.obi@example.org")).to_be_visible()
    journey.check("disagreement, escalated")
    page.screenshot(path=str(shots / "strategise-disagreement.png"), full_page=True)
    page.get_by_role("button", name="Record how it was resolved").click()
    journey.check("resolve")

    disagreement.refresh_from_db()
    assert (disagreement.stage, disagreement.outside_name) == (
        1,
        "Grace Obi, partnership business manager",
    )
    print(
        f"axe: {len(journey.checked)} page states checked, no violations; "
        f"{time.monotonic() - started_at:.1f}s"
    )
    context.close()
