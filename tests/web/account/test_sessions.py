"""How long a session lasts (30 minutes idle, 12 hours in all, both settings), signing out
of every device, and a deactivated account's sessions ending at once."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from pytest_django.fixtures import Settings

from strategise.audit.models import AuditEvent, SecurityAction
from strategise.organisations.models import User
from strategise.organisations.services import (
    account_deactivate,
    account_reactivate,
)
from strategise.organisations.sessions import sessions_end_everywhere
from tests.second_factor import VerifiedClient
from tests.web.pages import text

pytestmark = pytest.mark.django_db

START = datetime.fromisoformat("2026-03-02T09:00:00+00:00")


def _signed_in(client: Client, user: User, at: datetime) -> None:
    with time_machine.travel(at, tick=False):
        client.force_login(user)


def _status(client: Client, at: datetime, path: str = "/my-work/") -> int:
    with time_machine.travel(at, tick=False):
        return client.get(path).status_code


def test_a_session_used_within_thirty_minutes_carries_on(
    client: Client, social_worker: User
) -> None:
    _signed_in(client, social_worker, START)
    assert _status(client, START + timedelta(minutes=29)) == 200
    assert _status(client, START + timedelta(minutes=58)) == 200


def test_a_session_idle_for_over_thirty_minutes_ends(client: Client, social_worker: User) -> None:
    _signed_in(client, social_worker, START)
    with time_machine.travel(START + timedelta(minutes=31), tick=False):
        response = client.get("/my-work/")
        assert response["Location"] == "/sign-in/?next=/my-work/"
        html = client.get("/sign-in/").content.decode()
    assert (
        "You were signed out because you had not used Strategise for 30 minutes. "
        "Sign in again to carry on"
    ) in text(html)
    # Said once.
    assert "You were signed out" not in client.get("/sign-in/").content.decode()
    [event] = AuditEvent.objects.filter(action=SecurityAction.SESSION_ENDED)
    assert (event.user, event.detail) == (social_worker, {"reason": "idle"})


def test_the_idle_limit_is_a_setting(
    client: Client, social_worker: User, settings: Settings
) -> None:
    settings.STRATEGISE_SESSION_IDLE_MINUTES = 5
    _signed_in(client, social_worker, START)
    assert _status(client, START + timedelta(minutes=4)) == 200
    assert _status(client, START + timedelta(minutes=10)) == 302


def test_a_busy_session_still_ends_after_twelve_hours(client: Client, social_worker: User) -> None:
    _signed_in(client, social_worker, START)
    for quarter in range(1, 48):
        assert _status(client, START + timedelta(minutes=15 * quarter)) == 200
    assert _status(client, START + timedelta(hours=12, minutes=1)) == 302
    [event] = AuditEvent.objects.filter(action=SecurityAction.SESSION_ENDED)
    assert event.detail == {"reason": "lifetime"}


def test_the_lifetime_is_a_setting(client: Client, social_worker: User, settings: Settings) -> None:
    settings.STRATEGISE_SESSION_MAX_HOURS = 1
    _signed_in(client, social_worker, START)
    assert _status(client, START + timedelta(minutes=25)) == 200
    assert _status(client, START + timedelta(minutes=50)) == 200
    assert _status(client, START + timedelta(minutes=61)) == 302


def test_signing_out_of_every_device_ends_the_other_sessions_too(social_worker: User) -> None:
    laptop, phone = VerifiedClient(), VerifiedClient()
    laptop.force_login(social_worker)
    phone.force_login(social_worker)
    response = laptop.post("/account/sign-out-everywhere/")
    assert response["Location"] == "/sign-in/"
    assert "You have been signed out of every device" in text(
        laptop.get("/sign-in/").content.decode()
    )
    assert laptop.get("/my-work/").status_code == 302
    assert phone.get("/my-work/").status_code == 302
    assert AuditEvent.objects.filter(
        action=SecurityAction.SIGNED_OUT_EVERYWHERE, user=social_worker
    ).exists()
    # Signing in again works as before.
    social_worker.refresh_from_db()
    laptop.force_login(social_worker)
    assert laptop.get("/my-work/").status_code == 200


def test_signing_out_everywhere_is_a_button(client: Client, social_worker: User) -> None:
    client.force_login(social_worker)
    assert client.get("/account/sign-out-everywhere/").status_code == 405
    assert client.get("/my-work/").status_code == 200


def test_someone_elses_sessions_carry_on(social_worker: User, team_manager: User) -> None:
    other = VerifiedClient()
    other.force_login(team_manager)
    sessions_end_everywhere(user=social_worker)
    assert other.get("/my-work/").status_code == 200


def test_a_deactivated_accounts_sessions_end_at_once(
    social_worker: User, administrator: User
) -> None:
    browser = VerifiedClient()
    browser.force_login(social_worker)
    assert browser.get("/my-work/").status_code == 200
    account_deactivate(user=administrator, account=social_worker)
    assert browser.get("/my-work/").status_code == 302
    # Reopened, the account signs in afresh: the old session stays ended.
    account_reactivate(user=administrator, account=social_worker)
    assert browser.get("/my-work/").status_code == 302


def test_a_new_password_ends_the_other_sessions(social_worker: User) -> None:
    here, elsewhere = VerifiedClient(), VerifiedClient()
    here.force_login(social_worker)
    elsewhere.force_login(social_worker)
    response = here.post(
        "/account/password/",
        {
            "old_password": "correct horse battery staple",
            "new_password1": "quiet lantern meadow 47",
            "new_password2": "quiet lantern meadow 47",
        },
    )
    assert response["Location"] == "/account/"
    assert here.get("/my-work/").status_code == 200
    assert elsewhere.get("/my-work/").status_code == 302
