"""Every page at 375 pixels wide (a small phone) without the page scrolling sideways.

Each page state the access matrix reaches (tests/web/access_matrix.py: every route, with
each kind of user who may open it, on the cases tests/web/test_access.py builds) is opened
in Debian's chromium at a 375 px viewport, and the document may be no wider than the
window. A wide table scrolls inside its own labelled region instead (web/macros.html
``scrolling``), which is allowed: only the page as a whole is measured.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from strategise.organisations.models import User
from tests.e2e.test_journey import Journey, browser  # noqa: F401 - a fixture
from tests.second_factor import VerifiedClient
from tests.web.access_matrix import (
    ACCOUNTS_MATRIX,
    DISPUTE_MATRIX,
    MATRIX,
    OK,
    PUBLIC,
    RECORDING_MATRIX,
    SERVICE_MATRIX,
)
from tests.web.conftest import (  # noqa: F401 - fixtures
    child,
    discussion,
    other_police_officer,
    strategy_request,
)
from tests.web.test_access import (  # noqa: F401 - fixtures
    Administered,
    Case,
    Disputed,
    Recorded,
    administered,
    case,
    disputed,
    recorded,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NARROW: ViewportSize = {"width": 375, "height": 812}
# Files, not pages: they download.
DOWNLOADS = (".csv", ".xml", "/pdf/", "/docx/", "/written-reports/")

WIDTH = """() => ({
    page: document.documentElement.scrollWidth,
    window: window.innerWidth,
    wide: [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
                     && !(e.parentElement && e.parentElement.closest('.app-scrolling')))
        .slice(0, 5)
        .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                  + (e.className && typeof e.className === 'string'
                     ? '.' + e.className.trim().split(/\\s+/).join('.') : '')),
})"""


def narrow_context(browser: Browser, live_server: LiveServer, user: User | None) -> BrowserContext:  # noqa: F811
    """A 375 px wide browser, signed in as ``user`` (past the second factor) if given."""
    context = browser.new_context(base_url=live_server.url, viewport=NARROW)
    if user is not None:
        client = VerifiedClient()
        client.force_login(user)
        context.add_cookies(
            [
                {"name": name, "value": morsel.value, "url": live_server.url}
                for name, morsel in client.cookies.items()
            ]
        )
    return context


def too_wide(page: Page) -> str | None:
    """What makes the page wider than the window, or None when it fits."""
    measured = page.evaluate(WIDTH)
    if measured["page"] <= measured["window"]:
        return None
    return f"{measured['page']} px wide in a {measured['window']} px window: {measured['wide']}"


def _visit_all(
    browser: Browser,  # noqa: F811
    live_server: LiveServer,
    users: dict[str, User],
    matrix: Mapping[str, Mapping[str, int]],
    path: Callable[[str], str],
) -> list[str]:
    """Open each page of ``matrix`` as each role that may (200); what does not fit."""
    problems: list[str] = []
    visited = 0
    for role, user in users.items():
        context = narrow_context(browser, live_server, user)
        page = context.new_page()
        for template, row in matrix.items():
            address = path(template)
            if row.get(role) != OK or any(part in address for part in DOWNLOADS):
                continue
            response = page.goto(address)
            assert response is not None and response.status == OK, (role, address)
            visited += 1
            problem = too_wide(page)
            if problem:
                problems.append(f"{role} {address}: {problem}")
        context.close()
    assert visited, "no page was opened"
    return problems


def test_every_case_page_fits_a_narrow_screen(
    browser: Browser,  # noqa: F811
    live_server: LiveServer,
    case: Case,  # noqa: F811
) -> None:
    problems = _visit_all(browser, live_server, case.users, {**MATRIX, **SERVICE_MATRIX}, case.path)
    context = narrow_context(browser, live_server, None)
    page = context.new_page()
    for template in PUBLIC:
        page.goto(case.path(template))
        problem = too_wide(page)
        if problem:
            problems.append(f"visitor {template}: {problem}")
    assert not problems, "\n".join(problems)


def test_every_recording_page_fits_a_narrow_screen(
    browser: Browser,  # noqa: F811
    live_server: LiveServer,
    recorded: Recorded,  # noqa: F811
) -> None:
    problems = _visit_all(browser, live_server, recorded.users, RECORDING_MATRIX, recorded.path)
    assert not problems, "\n".join(problems)


def test_every_clock_and_disagreement_page_fits_a_narrow_screen(
    browser: Browser,  # noqa: F811
    live_server: LiveServer,
    disputed: Disputed,  # noqa: F811
) -> None:
    problems = _visit_all(browser, live_server, disputed.users, DISPUTE_MATRIX, disputed.path)
    assert not problems, "\n".join(problems)


def test_every_account_page_fits_a_narrow_screen(
    browser: Browser,  # noqa: F811
    live_server: LiveServer,
    administered: Administered,  # noqa: F811
) -> None:
    problems = _visit_all(
        browser, live_server, administered.users, ACCOUNTS_MATRIX, administered.path
    )
    assert not problems, "\n".join(problems)


def test_a_wide_table_scrolls_in_its_own_labelled_region(
    browser: Browser,  # noqa: F811
    live_server: LiveServer,
    case: Case,  # noqa: F811
) -> None:
    context = narrow_context(browser, live_server, case.users["chair"])
    page = context.new_page()
    page.goto(case.path("/discussions/{discussion}/"))
    region = page.get_by_role("region").first
    expect(region).to_have_attribute("tabindex", "0")
    assert region.get_attribute("aria-label")
    assert too_wide(page) is None
