"""The journey in a real browser: from a child's record to a started strategy discussion.

Debian's chromium drives the pages through Playwright against pytest-django's live
server, with no JavaScript needed by the pages themselves. axe checks every page of the
journey (and its error states) against WCAG 2.2 AA.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect, sync_playwright
from pytest_django.live_server_helper import LiveServer

from strategise.cases.models import Child
from strategise.organisations.models import LocalAuthority, Role, User
from tests.e2e import html_check
from tests.factories import PASSWORD, UserFactory
from tests.second_factor import app_device, unused_app_code

CHROMIUM = Path("/usr/bin/chromium")
WCAG = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}
# Where to keep screenshots of the main pages, to look at (pytest's tmp_path if unset).
SCREENSHOTS = os.environ.get("STRATEGISE_SCREENSHOTS")

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (make browser, or "
            "apt-get install chromium). The browser test never skips."
        )
    # Playwright's sync API runs an event loop in this thread; the test's own database
    # calls are synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield browser
        browser.close()


class Journey:
    """A person's browser tab, with an accessibility check of each page they see."""

    def __init__(self, page: Page, base: str, checked: list[str] | None = None):
        self.page = page
        self.base = base
        self.axe = Axe()
        self.checked: list[str] = [] if checked is None else checked

    def check(self, name: str) -> None:
        results = self.axe.run(self.page, options=WCAG)
        assert results.violations_count == 0, f"{name}:\n{results.generate_report()}"
        assert html_check.KEPT is not None, "tests/e2e/conftest.py keeps the pages for vnu"
        html_check.KEPT.keep(name, self.page.content())
        self.checked.append(name)

    def sign_in(self, user: User) -> None:
        """Sign in with the password, then a code from the user's authenticator app."""
        device = app_device(user)
        self.page.goto(f"{self.base}/sign-in/")
        self.page.get_by_label("Username").fill(user.username)
        self.page.get_by_label("Password", exact=True).fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.get_by_label("Code from your authenticator app").fill(unused_app_code(device))
        self.page.get_by_role("button", name="Continue").click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text("My work")

    def fill_date(self, prefix: str, day: int, month: int, year: int) -> None:
        self.page.locator(f"#{prefix}-day").fill(str(day))
        self.page.locator(f"#{prefix}-month").fill(str(month))
        self.page.locator(f"#{prefix}-year").fill(str(year))

    def add_child(self, first: str, last: str, born: tuple[int, int, int]) -> str:
        """Add a child in a new household; return their page's address."""
        self.page.get_by_role("link", name="Children", exact=True).click()
        self.page.get_by_role("button", name="Add a child").click()
        self.page.get_by_label("First name").fill(first)
        self.page.get_by_label("Last name").fill(last)
        self.page.get_by_label("Yes", exact=True).check()
        self.fill_date("date_of_birth", *born)
        self.page.get_by_role("button", name="Add the child").click()
        expect(self.page.get_by_role("heading", level=1)).to_have_text(f"{first} {last}")
        return self.page.url


def _error_summary(page: Page) -> str:
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    return summary.inner_text()


def test_a_social_worker_raises_a_complex_request_and_the_discussion_starts(
    browser: Browser,
    live_server: LiveServer,
    authority: LocalAuthority,
    social_worker: User,
    tmp_path: Path,
) -> None:
    shots = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    agencies = {agency.kind: agency for agency in authority.agencies.all()}
    chair = UserFactory.create(
        agency=agencies["childrens_social_care"],
        role=Role.SERVICE_MANAGER,
        first_name="Nadia",
        last_name="Iqbal",
    )
    police = UserFactory.create(
        agency=agencies["police"], role=Role.POLICE, first_name="Owen", last_name="Lloyd"
    )
    health = UserFactory.create(
        agency=agencies["health"], role=Role.HEALTH, first_name="Fiona", last_name="Hall"
    )
    # Concerns identified yesterday morning; the discussion tomorrow morning is in time.
    today = timezone.localdate()
    yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)

    context = browser.new_context(base_url=live_server.url)
    journey = Journey(context.new_page(), live_server.url)
    page = journey.page

    # Signing in, and my work.
    page.goto(f"{live_server.url}/my-work/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    journey.check("sign in")
    page.get_by_role("button", name="Sign in").click()
    assert "Enter your username" in _error_summary(page)
    journey.check("sign in, with errors")
    journey.sign_in(social_worker)
    expect(page.get_by_text("Nothing needs you at the moment")).to_be_visible()
    journey.check("my work, empty")

    # Finding and adding children: the first try has a mistake in it.
    page.get_by_role("link", name="Children", exact=True).click()
    journey.check("children")
    page.get_by_role("button", name="Add a child").click()
    journey.check("add a child")
    page.get_by_label("First name").fill("Ruby")
    page.get_by_role("button", name="Add the child").click()
    summary = _error_summary(page)
    assert "Enter the child's last name" in summary
    assert "Select yes if the child has been born" in summary
    expect(page.get_by_label("First name")).to_have_value("Ruby")
    journey.check("add a child, with errors")
    page.get_by_label("Last name").fill("Turner")
    page.get_by_label("Yes", exact=True).check()
    journey.fill_date("date_of_birth", 3, 5, 2016)
    page.get_by_role("button", name="Add the child").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ruby Turner")
    journey.check("child")
    ruby = page.url

    # Ruby's census details: a reference the census would refuse, then one it takes.
    page.get_by_role("link", name="Change local case reference").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Census details")
    journey.check("census details")
    page.get_by_label("Local case reference (optional)").fill("RT-1001")
    page.get_by_role("button", name="Save the census details").click()
    assert "letters and digits only" in _error_summary(page)
    expect(page.get_by_label("Local case reference (optional)")).to_have_value("RT-1001")
    journey.check("census details, with errors")
    page.get_by_label("Local case reference (optional)").fill("RT1001")
    page.get_by_label("Female", exact=True).check()
    page.get_by_label("Ethnicity (optional)").select_option("WBRI")
    page.get_by_role("button", name="Save the census details").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ruby Turner")
    expect(page.get_by_text("RT1001", exact=True)).to_be_visible()
    # What an older record typed as free text, matching no census code, is shown and asked
    # for (as cases migration 0003 leaves it).
    Child.objects.filter(first_name="Ruby").update(sex="", sex_unmapped="Girl")
    page.reload()
    expect(page.get_by_text("Sex was recorded as ‘Girl’")).to_be_visible()
    journey.check("child, with a sex the census does not code")

    # A second child, in a different family.
    journey.add_child("Jay", "Morris", (9, 1, 2015))
    page.get_by_role("link", name="Children", exact=True).click()
    page.get_by_label("Name, other name or reference").fill("Morris")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name="Jay Morris")).to_be_visible()
    journey.check("children, search results")

    # The request, from Ruby's page; Jay is added with "Find child".
    page.goto(ruby)
    page.get_by_role("button", name="Raise a strategy discussion request").click()
    expect(page.get_by_label("Ruby Turner")).to_be_checked()
    journey.check("request form")
    page.get_by_role("button", name="Raise the request").click()
    summary = _error_summary(page)
    assert "Enter the date concerns were identified" in summary
    assert "Select at least one concern" in summary
    journey.check("request form, with errors")
    journey.fill_date("identified_date", yesterday.day, yesterday.month, yesterday.year)
    page.get_by_label("At what time?").fill("10:15")
    page.get_by_label("Physical abuse").check()
    page.get_by_label("Who raised the concerns?").fill("Ms Khan, Oak Primary School")
    # Enter in the search box finds the child (no JavaScript involved).
    page.get_by_label("Find another child").fill("Morris")
    page.get_by_label("Find another child").press("Enter")
    # Nothing typed is lost, and Jay is now offered.
    expect(page.get_by_label("Physical abuse")).to_be_checked()
    expect(page.get_by_label("At what time?")).to_have_value("10:15")
    expect(page.get_by_label("Ruby Turner")).to_be_checked()
    page.get_by_label("Jay Morris").check()
    journey.check("request form, after finding a child")
    page.locator("#perpetrator_1_first_name").fill("Dean")
    page.locator("#perpetrator_1_last_name").fill("Turner")
    page.locator("#perpetrator_1_role").fill("Ruby's stepfather")
    page.locator("#perpetrator_1_trust-2").check()
    page.get_by_label("What has happened?").fill(
        "Ruby told her teacher that her stepfather hit her; Jay, her friend, saw it."
    )
    page.get_by_role("button", name="Raise the request").click()

    # The request page: complex, because the children live in different families.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"Strategy discussion request \d+")
    )
    deadline = page.locator("#deadline").inner_text()
    assert re.match(
        r"Hold by \w+day \d{1,2} \w+ \d{4}, 11:59pm — within three (working )?days "
        r"\(Sandwell procedure §(4\.2|9\.0)\)",
        deadline,
    ), deadline
    expect(page.get_by_text("Complex", exact=True).first).to_be_visible()
    expect(
        page.get_by_text("More than one child involved who do not live in the same family.")
    ).to_be_visible()
    expect(page.get_by_text("Source: Sandwell procedure §4.1").first).to_be_visible()
    journey.check("request")
    page.screenshot(path=str(shots / "strategise-request.png"), full_page=True)

    # Convening: first without the essentials, then properly.
    page.get_by_role("button", name="Convene the strategy discussion").click()
    journey.check("convene")
    page.get_by_role("button", name="Convene and send invitations").click()
    summary = _error_summary(page)
    assert "Select how the discussion will be held" in summary
    assert "Select who will chair the discussion" in summary
    assert "Choose who will attend for police" in summary
    journey.check("convene, with errors")
    page.get_by_label("Virtual meeting").check()
    journey.fill_date("scheduled_date", tomorrow.day, tomorrow.month, tomorrow.year)
    page.locator("#scheduled_time").fill("10:00")
    page.get_by_label("Where, or the link to join").fill("Video call: the link is in the diary")
    page.get_by_label("Chair", exact=True).select_option(
        label=f"{chair}, Service manager – may chair"
    )
    rows = {
        "childrens_social_care": social_worker,
        "police": police,
        "health": health,
    }
    FILLED = ("Children's social care", "Police", "Health", "Education", "The referrer")  # noqa: N806
    for index in range(9):
        fieldset = page.locator(f"#invitations-{index}-name").locator("xpath=ancestor::fieldset")
        label = fieldset.locator("legend").inner_text()
        if label.startswith("Children's social care"):
            page.locator(f"#invitations-{index}-user").select_option(
                str(rows["childrens_social_care"].pk)
            )
        elif label.startswith("Police"):
            page.locator(f"#invitations-{index}-user").select_option(str(rows["police"].pk))
        elif label.startswith("Health"):
            page.locator(f"#invitations-{index}-user").select_option(str(rows["health"].pk))
        elif label.startswith("Education"):
            page.locator(f"#invitations-{index}-name").fill("Amir Khan")
            page.locator(f"#invitations-{index}-email").fill("dsl@oak-primary.example.org")
        elif label.startswith("The referrer"):
            page.locator(f"#invitations-{index}-name").fill("Sara Khan")
            page.locator(f"#invitations-{index}-email").fill("s.khan@oak-primary.example.org")
        elif "Recommended" in label:
            page.locator(f"#invitations-{index}-include").uncheck()
        if "Recommended" in label and label.startswith(FILLED):
            # Recommended rows start unticked: one the social worker fills in, they tick.
            page.locator(f"#invitations-{index}-include").check()
    page.screenshot(path=str(shots / "strategise-convene.png"), full_page=True)
    page.get_by_role("button", name="Convene and send invitations").click()

    # The discussion: not quorate until the required agencies accept.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"Strategy discussion \d+")
    )
    expect(page.get_by_text("Strategy discussion convened and invitations sent")).to_be_visible()
    quorum = page.locator("#quorum").inner_text()
    assert (
        "Not quorate: missing children's social care (required, Sandwell procedure §3.0)" in quorum
    )
    assert "police (required, Sandwell procedure §3.0)" in quorum
    journey.check("discussion")
    assert len(mail.outbox) == 5
    assert all(message.attachments[0][0] == "strategy-discussion.ics" for message in mail.outbox)

    # The school replies through the private link in its email: no names of children.
    education_email = next(m for m in mail.outbox if m.to == ["dsl@oak-primary.example.org"])
    link = re.search(r"Reply \(accept or send apologies\): (\S+)", str(education_email.body))
    assert link is not None
    school = browser.new_context().new_page()
    school.goto(link.group(1))
    expect(school.get_by_role("heading", level=1)).to_have_text(
        "Your invitation to a strategy discussion"
    )
    assert "Ruby" not in school.content() and "Jay" not in school.content()
    Journey(school, live_server.url, journey.checked).check("invitation reply")
    school.get_by_label("If you cannot attend, why not?").fill("Staff training all day")
    school.get_by_role("button", name="Send apologies").click()
    expect(school.get_by_text("You have sent your apologies")).to_be_visible()
    school.context.close()

    # The social worker accepts their own invitation on the discussion page.
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("You have accepted the invitation")).to_be_visible()
    discussion = page.url

    # Attendance: the school is absent, and the reason is asked for.
    page.get_by_role("button", name="Record attendance and start").click()
    journey.check("record attendance")
    for fieldset in page.locator("fieldset").all():
        legend = fieldset.locator("legend").inner_text()
        choice = "Sent apologies" if legend.startswith("Amir Khan") else "Attended"
        fieldset.get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Record attendance and start").click()
    summary = _error_summary(page)
    assert (
        "Amir Khan is a required agency: record why the discussion is going ahead without them"
        in summary
    )
    journey.check("record attendance, with errors")
    page.get_by_label("If Amir Khan is not attending").fill(
        "Ruby is safe at home with her mother tonight; the school's written report has been read."
    )
    page.get_by_role("button", name="Record attendance and start").click()
    expect(page.get_by_text("Attendance recorded: the discussion has started")).to_be_visible()
    expect(page.get_by_text("Went ahead without them because: Ruby is safe")).to_be_visible()
    journey.check("discussion, started")
    page.screenshot(path=str(shots / "strategise-discussion.png"), full_page=True)

    # The chair finds it on their own "My work".
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Run child protection strategy discussions"
    )
    journey.sign_in(chair)
    row = page.get_by_role("row").filter(has_text="You chair")
    expect(row).to_have_count(1)
    row.get_by_role("link").click()
    assert page.url == discussion
    journey.check("my work, the chair's discussion")

    print(f"axe: {len(journey.checked)} page states checked, no violations")
    context.close()
