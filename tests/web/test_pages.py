"""Every page: the GOV.UK page furniture a person (and a screen reader) relies on."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

PAGES = ["/", "/triage/"]


@pytest.mark.parametrize("path", PAGES)
def test_page_is_in_british_english(client: Client, path: str) -> None:
    html = client.get(path).content.decode()
    assert '<html lang="en-GB"' in html


@pytest.mark.parametrize("path", PAGES)
def test_page_has_a_skip_link_to_the_main_content(client: Client, path: str) -> None:
    html = client.get(path).content.decode()
    assert 'href="#main-content"' in html
    assert "Skip to main content" in html
    assert 'id="main-content"' in html


@pytest.mark.parametrize("path", PAGES)
def test_page_shows_the_service_name_and_alpha_banner(client: Client, path: str) -> None:
    html = client.get(path).content.decode()
    assert "Strategise" in html
    assert "govuk-phase-banner" in html
    assert "Alpha" in html


@pytest.mark.parametrize("path", PAGES)
def test_page_sends_a_content_security_policy_with_a_nonce(client: Client, path: str) -> None:
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_page_does_not_claim_to_be_gov_uk(client: Client) -> None:
    html = client.get("/").content.decode()
    assert "Crown copyright" not in html
    assert "govuk-header__logotype" not in html


def test_start_page_says_what_the_service_is(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "strategy discussions" in html
    assert "significant harm" in html
    assert "triage" in html
    assert "local procedure" in html
    assert 'href="/triage/"' in html


def test_unknown_page_is_not_found(client: Client) -> None:
    assert client.get("/no-such-page/").status_code == 404


@pytest.mark.parametrize("path", PAGES)
def test_page_ids_are_unique(client: Client, path: str) -> None:
    html = client.get(path).content.decode()
    repeated = [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', html)).items() if n > 1]
    assert repeated == []


def test_every_error_links_to_an_element_on_the_page(client: Client) -> None:
    html = client.post("/triage/", {"identified_day": "6"}).content.decode()
    summary = html.split('class="govuk-error-summary"')[1].split("</ul>")[0]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    assert [target for target in targets if target not in ids] == []
    repeated = [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', html)).items() if n > 1]
    assert repeated == []


@pytest.mark.parametrize("path", PAGES)
def test_public_pages_need_no_sign_in(client: Client, settings: Settings, path: str) -> None:
    required = "django.contrib.auth.middleware.LoginRequiredMiddleware"
    if required not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, required]
    assert client.get(path).status_code == 200
