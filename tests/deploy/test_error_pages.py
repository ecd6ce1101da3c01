"""The error pages people see without DJANGO_DEBUG: GOV.UK's, never Django's bare ones."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import OperationalError, connection
from django.test import Client, RequestFactory, override_settings
from django.utils.functional import SimpleLazyObject

from strategise.config import errors
from strategise.organisations.models import User
from tests.second_factor import VerifiedClient

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.deploy.failing_urls"),
]

REFERENCE = re.compile(r"\b[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}\b")


@pytest.fixture
def browser() -> Client:
    """A client that gets the error page, as a browser would, instead of the exception (and
    whose force_login passes the second factor too)."""
    return VerifiedClient(raise_request_exception=False)


@override_settings(DEBUG=False)
def test_a_database_blip_gets_the_sorry_page_with_a_reference(
    browser: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = browser.get("/database-blip/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "<title>Sorry, there is a problem with the service – Strategise</title>" in html
    assert '<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>' in html
    assert 'class="govuk-generic-header"' in html
    assert "Server Error (500)" not in html
    shown = REFERENCE.findall(html)
    assert len(shown) == 1
    # One log line for the failure, with the same reference and the exception.
    records = [record for record in caplog.records if record.name == "django.request"]
    assert len(records) == 1
    assert shown[0] in records[0].getMessage()
    assert records[0].exc_info is not None
    assert isinstance(records[0].exc_info[1], OperationalError)


@override_settings(DEBUG=False)
def test_each_failure_gets_its_own_reference(browser: Client) -> None:
    first, second = (
        REFERENCE.findall(browser.get("/database-blip/").content.decode()) for _ in range(2)
    )
    assert first != second


def _database_down(*args: Any) -> None:
    raise OperationalError("terminating connection due to administrator command")


def _untouchable() -> None:
    raise AssertionError("the error page must not load the user or the session")


@override_settings(DEBUG=False)
def test_the_sorry_page_renders_with_the_database_down(
    django_assert_num_queries: Any,
) -> None:
    request = RequestFactory().get("/children/")
    request.user = SimpleLazyObject(_untouchable)  # type: ignore[assignment]
    request.session = SimpleLazyObject(_untouchable)  # type: ignore[assignment]
    with connection.execute_wrapper(_database_down), django_assert_num_queries(0):
        response = errors.server_error(request)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


@override_settings(DEBUG=False)
def test_if_the_sorry_page_cannot_render_plain_html_still_says_sorry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("template engine unavailable")

    monkeypatch.setattr(errors, "render", broken)
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    response = errors.server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Sorry, there is a problem with the service</h1>" in html
    assert REFERENCE.search(html)


@override_settings(DEBUG=False)
def test_an_unknown_address_gets_page_not_found(browser: Client) -> None:
    response = browser.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>Page not found – Strategise</title>" in html
    assert "If you typed the web address, check it is correct." in html
    assert "Sign in" in html  # the layout's navigation, for someone not signed in


@override_settings(DEBUG=False)
def test_a_record_out_of_reach_gets_page_not_found_signed_in(
    browser: Client, social_worker: User
) -> None:
    browser.force_login(social_worker)
    response = browser.get("/children/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in html
    assert "My work" in html
