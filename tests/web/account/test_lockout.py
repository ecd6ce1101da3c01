"""Lockout after wrong passwords: by username, and by address at a higher count; the right
password is refused while it lasts, the sign-in page says so and until when, it is
audited, it ends by itself or when an administrator unlocks the account, and the admin
site's sign-in is locked the same way."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from strategise.audit.models import AuditEvent, SecurityAction
from strategise.organisations.models import User
from strategise.organisations.services import account_unlock
from tests.factories import PASSWORD, UserFactory
from tests.web.pages import error_summary

pytestmark = pytest.mark.django_db

WRONG = "not the password at all"


def _try(client: Client, username: str, password: str, path: str = "/sign-in/") -> int:
    return client.post(path, {"username": username, "password": password}).status_code


def _fail(client: Client, username: str, times: int, address: str = "127.0.0.1") -> None:
    for _ in range(times):
        client.post("/sign-in/", {"username": username, "password": WRONG}, REMOTE_ADDR=address)


def test_four_wrong_passwords_still_let_the_right_one_in(
    client: Client, social_worker: User
) -> None:
    _fail(client, social_worker.username, 4)
    assert _try(client, social_worker.username, PASSWORD) == 302


def test_after_five_wrong_passwords_the_right_one_is_refused_and_the_page_says_until_when(
    client: Client, social_worker: User
) -> None:
    with time_machine.travel("2026-03-02 14:00:00+00:00", tick=False):
        _fail(client, social_worker.username, 5)
        response = client.post(
            "/sign-in/", {"username": social_worker.username, "password": PASSWORD}
        )
    assert response.status_code == 429
    html = response.content.decode()
    [(message, target)] = error_summary(html)
    assert message == (
        "This account has been locked because the password was wrong 5 times. Try again "
        "after 2:15pm (in 15 minutes), or ask your administrator to unlock it"
    )
    assert target == "username"
    assert "_auth_user_id" not in client.session
    assert "<title>Error: Sign in – Strategise</title>" in html


def test_the_fifth_wrong_password_already_says_it_is_locked(
    client: Client, social_worker: User
) -> None:
    _fail(client, social_worker.username, 4)
    response = client.post("/sign-in/", {"username": social_worker.username, "password": WRONG})
    assert response.status_code == 429
    assert "has been locked" in error_summary(response.content.decode())[0][0]


def test_the_lockout_ends_by_itself_after_fifteen_minutes(
    client: Client, social_worker: User
) -> None:
    with time_machine.travel("2026-03-02 14:00:00+00:00", tick=False):
        _fail(client, social_worker.username, 5)
    with time_machine.travel("2026-03-02 14:14:00+00:00", tick=False):
        assert _try(client, social_worker.username, PASSWORD) == 429
    with time_machine.travel("2026-03-02 14:15:01+00:00", tick=False):
        assert _try(client, social_worker.username, PASSWORD) == 302


def test_trying_while_locked_does_not_make_it_longer(client: Client, social_worker: User) -> None:
    with time_machine.travel("2026-03-02 14:00:00+00:00", tick=False):
        _fail(client, social_worker.username, 5)
    with time_machine.travel("2026-03-02 14:10:00+00:00", tick=False):
        _fail(client, social_worker.username, 3)
    with time_machine.travel("2026-03-02 14:15:01+00:00", tick=False):
        assert _try(client, social_worker.username, PASSWORD) == 302


def test_another_username_is_not_locked_by_someone_elses_failures(
    client: Client, social_worker: User, team_manager: User
) -> None:
    _fail(client, social_worker.username, 5)
    assert _try(client, team_manager.username, PASSWORD) == 302


def test_the_username_is_locked_from_every_address(client: Client, social_worker: User) -> None:
    _fail(client, social_worker.username, 5, address="192.0.2.1")
    response = client.post(
        "/sign-in/",
        {"username": social_worker.username, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert response.status_code == 429


def test_an_address_trying_many_usernames_is_stopped_at_twenty(
    client: Client, social_worker: User
) -> None:
    for number in range(20):
        _fail(client, f"guess{number}", 1, address="192.0.2.9")
    response = client.post(
        "/sign-in/",
        {"username": social_worker.username, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.9",
    )
    assert response.status_code == 429
    assert error_summary(response.content.decode())[0][0].startswith(
        "Signing in from your network has been stopped for a while"
    )
    # Elsewhere, the same person signs in.
    elsewhere = client.post(
        "/sign-in/",
        {"username": social_worker.username, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )
    assert elsewhere.status_code == 302


def test_the_limits_are_settings(client: Client, social_worker: User, settings: Settings) -> None:
    settings.STRATEGISE_LOCKOUT_FAILURES = 2
    settings.AXES_FAILURE_LIMIT = 2
    _fail(client, social_worker.username, 2)
    assert _try(client, social_worker.username, PASSWORD) == 429


def test_a_lockout_is_audited_once_when_it_begins(client: Client, social_worker: User) -> None:
    _fail(client, social_worker.username, 7)
    [event] = AuditEvent.objects.filter(action=SecurityAction.LOCKED_OUT)
    assert event.detail["username_tried"] == social_worker.username
    assert event.detail["failures"] == 5
    assert event.local_authority_id == social_worker.local_authority_id
    assert AuditEvent.objects.filter(action=SecurityAction.SIGN_IN_FAILED).count() == 7


def test_an_administrator_unlocks_the_account(
    client: Client, social_worker: User, administrator: User
) -> None:
    _fail(client, social_worker.username, 5)
    account_unlock(user=administrator, account=social_worker)
    assert _try(client, social_worker.username, PASSWORD) == 302
    [event] = AuditEvent.objects.filter(action=SecurityAction.UNLOCKED)
    assert event.user == administrator
    assert event.object_id == str(social_worker.pk)


def test_the_admin_site_is_locked_the_same_way(client: Client, administrator: User) -> None:
    for _ in range(5):
        client.post("/admin/login/", {"username": administrator.username, "password": WRONG})
    response = client.post(
        "/admin/login/", {"username": administrator.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "has been locked" in error_summary(response.content.decode())[0][0]
    # ...and so is the service's own sign-in, for the same username.
    assert _try(client, administrator.username, PASSWORD) == 429


def test_the_time_left_is_rounded_up_to_a_whole_minute(client: Client) -> None:
    person = UserFactory.create()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _fail(client, person.username, 5)
    with time_machine.travel(start + timedelta(minutes=14, seconds=30), tick=False):
        html = client.post(
            "/sign-in/", {"username": person.username, "password": PASSWORD}
        ).content.decode()
    assert "(in 1 minute)" in html
