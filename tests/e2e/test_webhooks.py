"""The webhooks pages in a real browser: an administrator adds an endpoint (with errors
first), reads its secret once, sees the delivery log and switches the endpoint off. axe
checks each page state, and vnu at the end of the session."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from strategise.integrations.encryption import decrypt
from strategise.integrations.models import WebhookEndpoint
from strategise.organisations.models import User
from tests.e2e.test_journey import Journey, browser  # noqa: F401 - a fixture
from tests.integrations.support import tried_once

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_administrator_adds_an_endpoint_and_reads_the_log(
    browser: Browser,  # noqa: F811 - the journey test's fixture
    live_server: LiveServer,
    administrator: User,
) -> None:
    checked: list[str] = []
    admin = Journey(browser.new_context().new_page(), live_server.url, checked)
    page = admin.page
    admin.sign_in(administrator)
    page.get_by_role("link", name="Accounts").click()
    page.get_by_role("link", name="Webhooks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks")
    admin.check("webhooks, none")
    page.get_by_role("link", name="Add an endpoint").click()
    admin.check("add an endpoint")
    page.get_by_label("Address").fill("http://cases.example.gov.uk/")
    page.get_by_role("button", name="Add the endpoint").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("must start with https://")
    admin.check("add an endpoint, with errors")
    page.get_by_label("Address").fill("https://cases.example.gov.uk/strategise")
    page.get_by_label("request.created").check()
    page.get_by_label("discussion.concluded").check()
    page.get_by_label("What it is (optional)").fill("Mosaic")
    page.get_by_role("button", name="Add the endpoint").click()
    endpoint = WebhookEndpoint.objects.get()
    expect(page.locator("#secret")).to_have_text(decrypt(endpoint.secret_encrypted))
    admin.check("endpoint added, its secret")

    tried_once(endpoint, excerpt="Busy")
    page.get_by_role("link", name="Back to webhooks").click()
    expect(page.get_by_text("Mosaic")).to_be_visible()
    admin.check("webhooks, an endpoint and a delivery")
    page.get_by_role("button", name=f"Switch off endpoint {endpoint.pk}").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("switched off")
    admin.check("webhooks, switched off")
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert len(checked) == 6
