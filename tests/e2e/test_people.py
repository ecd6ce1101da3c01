"""The people around a child in a real browser: a social worker adds Lily's stepfather,
links him again as the alleged perpetrator, reads his page and the household, changes his
record, finds him offered on the request form, and removes the mistaken link. axe checks
every page state (and its error states) against WCAG 2.2 AA; the Nu HTML Checker reads each
at the end."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from strategise.cases.models import Adult, ChildAdultLink, SiblingLink
from strategise.organisations.models import LocalAuthority, User
from tests.e2e.test_journey import Journey, browser  # noqa: F401 - a fixture
from tests.factories import ChildFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _heading(page: Page, words: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(words)


def test_a_social_worker_adds_a_stepfather_and_links_him_as_alleged_perpetrator(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    authority: LocalAuthority,
    social_worker: User,
) -> None:
    lily = ChildFactory.create(
        local_authority=authority,
        first_name="Lily",
        last_name="Price",
        address="1 Oak Street",
        allocated_worker=social_worker,
    )
    mason = ChildFactory.create(local_authority=authority, first_name="Mason", last_name="Price")
    SiblingLink.objects.create(child_id=lily.pk, sibling_id=mason.pk)
    context = browser.new_context(base_url=live_server.url)
    journey = Journey(context.new_page(), live_server.url)
    page = journey.page
    journey.sign_in(social_worker)

    page.goto(f"/children/{lily.pk}/")
    journey.check("child, with no adults")
    page.get_by_role("button", name="Add an adult").click()
    _heading(page, "Add an adult")
    journey.check("add an adult")

    # Everything wrong is said at once.
    page.get_by_label("NHS number (optional)").fill("943 476 5918")
    page.get_by_role("button", name="Add the adult").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select how the adult is related to the child")
    expect(summary).to_contain_text("Enter the adult's first name or last name")
    expect(summary).to_contain_text("The NHS number is not a real NHS number")
    journey.check("add an adult, with errors")

    page.get_by_label("How are they related to Lily Price?").select_option("step_parent")
    page.get_by_label("They live in Lily’s household").check()
    page.get_by_label("First name").fill("Dean")
    page.get_by_label("Last name").fill("Turner")
    journey.fill_date("date_of_birth", 2, 5, 1988)
    page.get_by_label("NHS number (optional)").fill("943 476 5919")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Add the adult").click()
    _heading(page, "Lily Price")
    expect(page.locator("#child-adults")).to_contain_text("Dean Turner: step-parent")
    journey.check("child, with her stepfather")

    # Linked again, found among the adults recorded, as the alleged perpetrator.
    page.get_by_role("button", name="Link an adult already recorded").click()
    _heading(page, "Link an adult to Lily")
    page.get_by_label("Their name, other name or former name").fill("turner")
    page.get_by_role("button", name="Find the adult").click()
    journey.check("link an adult, found")
    page.get_by_role("button", name="Link the adult").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select the adult to link")
    journey.check("link an adult, with errors")
    page.get_by_label("Dean Turner").check()
    page.get_by_label("How are they related to Lily Price?").select_option("alleged_perpetrator")
    page.get_by_role("button", name="Link the adult").click()
    expect(page.locator("#child-adults")).to_contain_text("Dean Turner: alleged perpetrator")
    dean = Adult.objects.get()
    assert set(
        ChildAdultLink.objects.filter(adult=dean, child=lily).values_list("relationship", flat=True)
    ) == {"step_parent", "alleged_perpetrator"}

    # His page, then the household.
    page.get_by_role("link", name="Dean Turner").first.click()
    _heading(page, "Dean Turner")
    expect(page.locator("#links")).to_contain_text("alleged perpetrator")
    expect(page.get_by_text("943 476 5919")).to_be_visible()
    journey.check("adult")
    page.get_by_role("button", name="Change the record").click()
    _heading(page, "Change the adult’s record")
    journey.check("change an adult")
    page.get_by_label("Former names (optional)").fill("Dean Walsh")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_text("Dean Walsh")).to_be_visible()
    page.get_by_role("link", name="1 Oak Street").click()
    _heading(page, "1 Oak Street")
    expect(page.locator("#household-adults")).to_contain_text("Dean Turner")
    expect(page.locator("#household-children")).to_contain_text("Lily Price")
    journey.check("household")

    # The request form offers him among the adults recorded around Lily.
    page.goto(f"/requests/new/?child={lily.pk}")
    expect(page.get_by_label("Dean Turner")).to_be_visible()
    journey.check("request form, with the adults around the child")

    # The child's identifiers, with a wrong UPN first.
    page.goto(f"/children/{lily.pk}/identifiers/")
    page.get_by_label("Unique pupil number (optional)").fill("A801200001001")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("is not a real UPN")
    journey.check("identifiers, with errors")
    page.get_by_label("Unique pupil number (optional)").fill("H801200001001")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_text("H801200001001")).to_be_visible()

    # The alleged perpetrator link was a mistake: removed, with the reason, the
    # stepfather link kept.
    page.get_by_role("link", name="Remove the link: Dean Turner, alleged perpetrator").click()
    _heading(page, "Remove the link between Lily and Dean Turner")
    expect(page.get_by_label("Alleged perpetrator")).to_be_checked()
    journey.check("remove a link")
    page.get_by_role("button", name="Remove the link").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why you are removing this link"
    )
    journey.check("remove a link, with errors")
    page.get_by_label("Why are you removing this link?").fill("Recorded against the wrong child")
    page.get_by_role("button", name="Remove the link").click()
    _heading(page, "Lily Price")
    expect(page.locator("#child-adults")).to_contain_text("Dean Turner: step-parent")
    expect(page.locator("#child-adults")).not_to_contain_text("alleged perpetrator")
    journey.check("child, with a link removed")
    assert list(
        ChildAdultLink.objects.filter(adult=dean, child=lily).values_list("relationship", flat=True)
    ) == ["step_parent"]

    # Her brother living elsewhere, recorded by mistake: removed the same way.
    page.get_by_role("link", name="Remove the link: Mason Price, brother or sister").click()
    _heading(page, "Remove the link between Lily and Mason Price")
    journey.check("remove a sibling link")
    page.get_by_label("Why are you removing this link?").fill("Not related: a different Mason")
    page.get_by_role("button", name="Remove the link").click()
    expect(page.locator("#child-siblings")).to_have_count(0)
    assert not SiblingLink.objects.exists()

    # She is allocated to the social worker: one of her children.
    page.goto("/my-work/children/")
    expect(page.get_by_role("row", name="Lily Price")).to_contain_text("Allocated to you")
    journey.check("my children, allocated")

    # A new child's identifiers are checked as they are added.
    page.goto("/children/new/")
    page.get_by_label("NHS number (optional)").fill("943 476 5918")
    page.get_by_label("Unique pupil number (optional)").fill("A801200001001")
    page.get_by_role("button", name="Add the child").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("The NHS number is not a real NHS number")
    expect(summary).to_contain_text("The unique pupil number is not a real UPN")
    journey.check("add a child, with wrong identifiers")
    context.close()
