"""The start page: a newcomer's way in. It leads to signing in; in the demo (the demo
loaded and ``STRATEGISE_DEMO_SIGN_IN`` on) it says how to sign in as each role, and
never otherwise."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from strategise.demo.people import DEMO_PASSWORD
from strategise.organisations.models import LocalAuthority, Role, User
from tests.factories import AgencyFactory, LocalAuthorityFactory, UserFactory
from tests.web.pages import page, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db: None) -> LocalAuthority:
    """Two demo authorities, Sandwell's with a social worker, a police officer and an
    analyst."""
    sandwell = LocalAuthorityFactory.create(
        name="Demo Sandwell", slug="demo-sandwell", profile="sandwell"
    )
    LocalAuthorityFactory.create(name="Demo Bristol", slug="demo-bristol", profile="bristol")
    care = AgencyFactory.create(local_authority=sandwell, name="Demo Sandwell Children's Services")
    police = AgencyFactory.create(local_authority=sandwell, kind="police", name="Demo Police")
    UserFactory.create(username="sw.sandwell", agency=care, role=Role.SOCIAL_WORKER, job_title="")
    UserFactory.create(
        username="police.sandwell", agency=police, role=Role.POLICE, job_title="Detective"
    )
    UserFactory.create(
        username="analyst.sandwell", agency=care, role=Role.PERFORMANCE_ANALYST, job_title=""
    )
    return sandwell


def test_the_start_page_leads_to_signing_in(client: Client) -> None:
    html = page(client, "/")
    assert 'href="/sign-in/"' in html.split('id="main-content"')[1]
    assert "Signing in to the demo" not in text(html)


def test_in_the_demo_it_says_how_to_sign_in_as_each_role(
    client: Client, demo: LocalAuthority, settings: Any
) -> None:
    settings.STRATEGISE_DEMO_SIGN_IN = True
    words = text(page(client, "/"))
    assert f"Every demo account has the password {DEMO_PASSWORD}" in words
    assert "Social worker, Demo Sandwell Children's Services sw.sandwell" in words
    assert "Police officer (detective), Demo Police police.sandwell" in words
    assert "Performance analyst, Demo Sandwell Children's Services analyst.sandwell" in words
    # In the order of the roles: practitioners first, the analyst after the police.
    assert words.index("sw.sandwell") < words.index("police.sandwell")
    assert words.index("police.sandwell") < words.index("analyst.sandwell")
    assert "change the end of the username, after the dot, to bristol" in words
    assert "manage.py demo_code" in words


def test_the_demo_password_on_the_page_is_the_one_the_demo_loader_sets(
    settings: Any,
) -> None:
    assert settings.STRATEGISE_DEMO_PASSWORD == DEMO_PASSWORD


def test_without_the_demo_setting_no_sign_in_is_shown_even_with_the_demo_loaded(
    client: Client, demo: LocalAuthority, settings: Any
) -> None:
    settings.STRATEGISE_DEMO_SIGN_IN = False
    words = text(page(client, "/"))
    assert "Signing in to the demo" not in words
    assert DEMO_PASSWORD not in words
    assert "sw.sandwell" not in words


def test_with_the_setting_but_no_demo_loaded_no_sign_in_is_shown(
    client: Client, authority: LocalAuthority, social_worker: User, settings: Any
) -> None:
    settings.STRATEGISE_DEMO_SIGN_IN = True
    words = text(page(client, "/"))
    assert "Signing in to the demo" not in words
    assert social_worker.username not in words


def test_signed_in_it_continues_to_the_first_place_their_navigation_offers(
    client: Client, social_worker: User, analyst: User
) -> None:
    client.force_login(social_worker)
    assert 'href="/my-work/" role="button"' in page(client, "/")
    client.force_login(analyst)
    assert 'href="/notifications/" role="button"' in page(client, "/")
