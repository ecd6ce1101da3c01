"""The network and the patterns across cases in a real browser: an administrator names the
exploitation lead on the settings page; a worker records a stepfather's car and a park
around one child; a second child's request links the same car; a third links the same
park and the stepfather. The exploitation lead is told, opens the alert and raises a
complex request from it. axe checks every page state (WCAG 2.2 AA), the network page with
its drawing and its tables, which fits a 375 px screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from strategise.cases.models import ChildAdultLink
from strategise.network.models import NetworkSetting, PatternAlert
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.requests.models import StrategyRequest
from tests.e2e.test_journey import Journey, browser  # noqa: F401 - a fixture
from tests.e2e.test_narrow_screens import NARROW, too_wide
from tests.factories import (
    AdultFactory,
    ChildFactory,
    DiscussionFactory,
    StrategyRequestFactory,
    UserFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_car_a_park_and_a_stepfather_across_three_children_reach_the_exploitation_lead(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    authority: LocalAuthority,
    social_worker: User,
    administrator: User,
    tmp_path: Path,
) -> None:
    lead = UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"),
        role=Role.SOCIAL_WORKER,
        first_name="Priya",
        last_name="Shah",
    )
    checked: list[str] = []
    # An administrator names the exploitation lead (audited), on the settings page.
    admin = Journey(browser.new_context().new_page(), live_server.url, checked)
    admin.sign_in(administrator)
    admin.page.goto(f"{live_server.url}/accounts/")
    admin.page.get_by_role("link", name="The exploitation lead").click()
    admin.check("the network settings")
    admin.page.get_by_label("Exploitation lead").select_option(
        label=f"{lead} ({lead.get_role_display()})"
    )
    admin.page.get_by_role("button", name="Save settings").click()
    expect(admin.page.get_by_text("Network settings saved")).to_be_visible()
    admin.check("the network settings, saved")
    assert NetworkSetting.objects.get(local_authority=authority).exploitation_lead == lead
    first_child, second_child, third_child = (
        ChildFactory.create(local_authority=authority, first_name=name, last_name=last)
        for name, last in (("Mia", "Hart"), ("Leo", "Grant"), ("Ava", "Stone"))
    )
    stepfather = AdultFactory.create(
        local_authority=authority,
        first_name="Dean",
        last_name="Cole",
        household=first_child.household,
    )
    ChildAdultLink.objects.create(child=first_child, adult=stepfather, relationship="step_parent")
    requests: list[StrategyRequest] = [
        StrategyRequestFactory.create(
            local_authority=authority,
            raised_by=social_worker,
            children=[child],
            concerns=["child_criminal_exploitation"],
        )
        for child in (first_child, second_child, third_child)
    ]
    worker = Journey(browser.new_context().new_page(), live_server.url, checked)
    worker.sign_in(social_worker)
    page = worker.page

    def add(request: StrategyRequest, fill: dict[str, str], choose: dict[str, str]) -> None:
        page.goto(f"{live_server.url}/requests/{request.pk}/network/add/")
        for label, value in choose.items():
            page.get_by_label(label, exact=True).check() if value == "check" else page.get_by_label(
                label
            ).select_option(label=value)
        for label, value in fill.items():
            page.get_by_label(label).fill(value)
        page.get_by_role("button", name="Add to the network").click()
        expect(page.get_by_text("Added to the network")).to_be_visible()

    # Mia's request: the stepfather's car, and a park.
    page.goto(f"{live_server.url}/requests/{requests[0].pk}/network/add/")
    page.get_by_role("button", name="Add to the network").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select how they are linked")
    worker.check("add to the network, with errors")
    add(
        requests[0],
        {"For a vehicle: its registration": "ab12 cde", "Which agency said so": "Police"},
        {
            "Vehicle": "check",
            "Driven in or picked up by": "check",
            "Reported (told by the child, family or another person)": "check",
            "Whose is it? (optional)": stepfather.full_name,
        },
    )
    add(
        requests[0],
        {"Name, nickname or description": "Victoria Park", "Which agency said so": "School"},
        {
            "Place": "check",
            "Goes to or is seen at": "check",
            "Suspected (intelligence or a worker's concern)": "check",
            "For a place: what kind of place": "Park or open space",
            "For a place: a place of risk or a safe space": "A place of risk",
        },
    )
    # Leo's request: the same car, typed another way.
    add(
        requests[1],
        {"For a vehicle: its registration": "AB12CDE", "Which agency said so": "Police"},
        {
            "Vehicle": "check",
            "Driven in or picked up by": "check",
            "Confirmed (seen or verified by an agency)": "check",
        },
    )
    assert not PatternAlert.objects.exists()
    # Ava's request: the same park, and the stepfather.
    add(
        requests[2],
        {"Which agency said so": "Police"},
        {
            "Place": "check",
            "Goes to or is seen at": "check",
            "Reported (told by the child, family or another person)": "check",
            "Something already in your authority’s networks (optional)": "Victoria Park (place)",
        },
    )
    add(
        requests[2],
        {"Which agency said so": "Police"},
        {
            "Person": "check",
            "Seen with": "check",
            "Reported (told by the child, family or another person)": "check",
            "A person already recorded as an adult (optional)": stepfather.full_name,
        },
    )
    worker.check("the network of a request, with its drawing and tables")
    svg = page.locator("svg[role=img]")
    expect(svg).to_have_attribute("aria-labelledby", "network-title network-desc")
    expect(page.get_by_role("img", name="The network")).to_be_visible()
    links = page.locator("table[aria-labelledby=links-heading] tbody tr")
    expect(links).to_have_count(2)
    expect(page.locator("table[aria-labelledby=place-heading]")).to_contain_text("A place of risk")
    # The same page on a small phone: its tables scroll in their own regions.
    page.set_viewport_size(NARROW)
    page.reload()
    assert too_wide(page) is None
    worker.check("the network of a request, 375 px wide")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Mia's network page, filtered to vehicles only.
    page.goto(f"{live_server.url}/children/{first_child.pk}/network/")
    worker.check("the network around a child")
    page.get_by_role("checkbox", name="Vehicles").check()
    page.get_by_role("button", name="Show").click()
    expect(page.locator("table[aria-labelledby=links-heading] tbody tr")).to_have_count(1)
    worker.check("the network around a child, filtered")

    alert = PatternAlert.objects.get()
    assert set(alert.evidence["children"]) == {first_child.pk, second_child.pk, third_child.pk}

    # The exploitation lead is told, opens the alert and raises a complex request.
    hub = Journey(browser.new_context().new_page(), live_server.url, checked)
    hub.sign_in(lead)
    hub.page.goto(f"{live_server.url}/notifications/")
    expect(hub.page.get_by_text(f"Pattern across cases {alert.pk}").first).to_be_visible()
    hub.check("notifications, with a pattern across cases")
    hub.page.goto(f"{live_server.url}/patterns/")
    hub.check("patterns across cases")
    hub.page.get_by_role("link", name=f"Alert {alert.pk}").click()
    expect(hub.page.get_by_role("heading", level=1)).to_have_text(
        f"{stepfather.full_name} is linked to 3 children"
    )
    hub.check("a pattern across cases, with its evidence")
    hub.page.get_by_role("link", name="Raise a complex request").click()
    for child in (first_child, second_child, third_child):
        expect(hub.page.get_by_label(child.full_name)).to_be_checked()
    expect(hub.page.get_by_label("What are the concerns and what has happened?")).to_contain_text(
        "AB12 CDE"
    )
    hub.check("raise a complex request from an alert")
    hub.page.get_by_role("button", name="Raise the request").click()
    expect(hub.page.get_by_text("raised and triaged")).to_be_visible()
    alert.refresh_from_db()
    assert alert.complex_request is not None
    assert alert.complex_request.discussion_type == "complex"
    hub.check("the complex request raised from the alert")
    hub.page.goto(f"{live_server.url}/children/{third_child.pk}/")
    expect(hub.page.locator("#child-groups")).to_contain_text(f"Pattern across cases {alert.pk}")
    hub.check("a child's page with their groups")


def test_a_worker_adds_to_the_network_from_a_discussions_network_page(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    authority: LocalAuthority,
    social_worker: User,
) -> None:
    child = ChildFactory.create(local_authority=authority, first_name="Mia", last_name="Hart")
    request = StrategyRequestFactory.create(
        local_authority=authority, raised_by=social_worker, children=[child]
    )
    discussion = DiscussionFactory.create(request=request)
    checked: list[str] = []
    worker = Journey(browser.new_context().new_page(), live_server.url, checked)
    worker.sign_in(social_worker)
    page = worker.page
    page.goto(f"{live_server.url}/discussions/{discussion.pk}/network/")
    page.get_by_role("link", name="Add to the network").click()
    expect(page.locator(".govuk-caption-l")).to_have_text(f"Strategy discussion {discussion.pk}")
    page.get_by_role("button", name="Add to the network").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select how they are linked")
    worker.check("add to the network from a discussion, with errors")
    page.get_by_label("Vehicle", exact=True).check()
    page.get_by_label("For a vehicle: its registration").fill("ab12 cde")
    page.get_by_label("Driven in or picked up by", exact=True).check()
    page.get_by_label("Which agency said so").fill("Police")
    page.get_by_label("Reported (told by the child, family or another person)", exact=True).check()
    page.get_by_role("button", name="Add to the network").click()
    expect(page.get_by_text("Added to the network")).to_be_visible()
    assert page.url == f"{live_server.url}/discussions/{discussion.pk}/network/"
    expect(page.locator("table[aria-labelledby=links-heading] tbody tr")).to_have_count(1)
    worker.check("the network of a discussion, with what was added")
    page.set_viewport_size(NARROW)
    page.reload()
    assert too_wide(page) is None
    worker.check("the network of a discussion, 375 px wide")
    assert [link.request_id for link in request.network_links.all()] == [request.pk]
