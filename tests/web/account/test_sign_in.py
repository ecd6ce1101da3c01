"""Signing in and out, and what the navigation offers a visitor and a signed-in user."""

from __future__ import annotations

import pytest
from django.test import Client

from strategise.organisations.models import User
from tests.factories import PASSWORD
from tests.second_factor import app_code, app_device
from tests.web.pages import error_summary, navigation, page, text

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_asks_for_a_username_and_password(client: Client) -> None:
    html = page(client, "/sign-in/")
    assert '<h1 class="govuk-heading-xl">Sign in</h1>' in html
    assert 'id="username"' in html
    assert 'id="password"' in html
    assert 'autocomplete="current-password"' in html


def test_signing_in_with_nothing_names_both_fields(client: Client) -> None:
    html = client.post("/sign-in/", {}).content.decode()
    assert error_summary(html) == [
        ("Enter your username", "username"),
        ("Enter your password", "password"),
    ]
    assert "<title>Error: Sign in – Strategise</title>" in html


def test_a_wrong_password_is_not_right_and_keeps_the_username(
    client: Client, social_worker: User
) -> None:
    html = client.post(
        "/sign-in/", {"username": social_worker.username, "password": "not it"}
    ).content.decode()
    [(message, target)] = error_summary(html)
    assert message.startswith("The username or password is not right")
    assert target == "username"
    assert f'value="{social_worker.username}"' in html


def test_signing_in_goes_to_my_work(client: Client, social_worker: User) -> None:
    device = app_device(social_worker)
    response = client.post("/sign-in/", {"username": social_worker.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/my-work/"
    # The second factor comes between the password and the page.
    assert client.get("/my-work/")["Location"] == "/sign-in/second-factor/?next=%2Fmy-work%2F"
    response = client.post(
        "/sign-in/second-factor/", {"code": app_code(device), "next": "/my-work/"}
    )
    assert response["Location"] == "/my-work/"
    assert "My work" in text(client.get("/my-work/").content.decode())


def test_signing_in_returns_to_the_page_asked_for(client: Client, social_worker: User) -> None:
    response = client.post(
        "/sign-in/?next=/children/",
        {"username": social_worker.username, "password": PASSWORD, "next": "/children/"},
    )
    assert response["Location"] == "/children/"


def test_a_closed_account_cannot_sign_in(client: Client, social_worker: User) -> None:
    social_worker.is_active = False
    social_worker.save(update_fields=["is_active"])
    html = client.post(
        "/sign-in/", {"username": social_worker.username, "password": PASSWORD}
    ).content.decode()
    assert error_summary(html)
    assert "_auth_user_id" not in client.session


def test_a_signed_in_user_opening_sign_in_goes_to_their_work(
    client: Client, social_worker: User
) -> None:
    client.force_login(social_worker)
    assert client.get("/sign-in/")["Location"] == "/my-work/"


def test_signing_out_is_a_post_and_returns_to_the_start_page(
    client: Client, social_worker: User
) -> None:
    client.force_login(social_worker)
    response = client.post("/sign-out/")
    assert response["Location"] == "/"
    assert client.get("/my-work/").status_code == 302


def test_signing_out_by_a_link_is_not_allowed(client: Client, social_worker: User) -> None:
    client.force_login(social_worker)
    assert client.get("/sign-out/").status_code == 405
    assert client.get("/my-work/").status_code == 200


def test_a_visitor_is_offered_the_start_page_triage_and_sign_in(client: Client) -> None:
    html = page(client, "/")
    assert navigation(html) == "About Try triage Sign in"


def test_a_signed_in_user_is_offered_their_work_children_triage_and_sign_out(
    client: Client, social_worker: User
) -> None:
    html = page(client, "/my-work/", social_worker)
    assert (
        navigation(html)
        == "My work Children Adults Notifications Disagreements Try triage Your account Sign out"
    )
    sign_out = html.split('action="/sign-out/"')[1].split("</form>")[0]
    assert 'name="csrfmiddlewaretoken"' in sign_out
    assert "Sign out</button>" in sign_out
