"""Behind the TLS proxy, the client's address is the one the proxy forwards: the lockout by
address stops that client, not everyone behind the proxy, and the audit log records the
client. From anywhere but the proxy, X-Forwarded-For is ignored."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from strategise.audit.models import AuditEvent, SecurityAction
from strategise.organisations.models import User
from tests.deploy.support import run_python
from tests.factories import PASSWORD

PROXY = "10.0.0.5"
WRONG = "not the password at all"


@pytest.fixture
def behind_proxy(settings: Settings) -> None:
    settings.STRATEGISE_PROXY_ADDRESSES = [PROXY]


def _post(client: Client, username: str, password: str, peer: str, forwarded: str) -> int:
    return client.post(
        "/sign-in/",
        {"username": username, "password": password},
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=forwarded,
    ).status_code


def _failed_from() -> list[str | None]:
    events = AuditEvent.objects.filter(action=SecurityAction.SIGN_IN_FAILED).order_by("pk")
    return [event.remote_addr for event in events]


@pytest.mark.django_db
@pytest.mark.usefixtures("behind_proxy")
def test_through_the_proxy_the_forwarded_client_is_audited() -> None:
    client = Client()
    _post(client, "nobody", WRONG, PROXY, "203.0.113.5")
    # The last address is the one the proxy added; what the client sent before it is not.
    _post(client, "nobody", WRONG, PROXY, "192.0.2.66, 203.0.113.6")
    assert _failed_from() == ["203.0.113.5", "203.0.113.6"]


@pytest.mark.django_db
@pytest.mark.usefixtures("behind_proxy")
def test_one_client_behind_the_proxy_is_stopped_and_the_others_are_not(
    social_worker: User,
) -> None:
    client = Client()
    for number in range(20):
        _post(client, f"guess{number}", WRONG, PROXY, "203.0.113.9")
    assert _post(client, social_worker.username, PASSWORD, PROXY, "203.0.113.9") == 429
    # Another person, through the same proxy, signs in (on to the second factor).
    assert _post(Client(), social_worker.username, PASSWORD, PROXY, "198.51.100.4") == 302


@pytest.mark.django_db
@pytest.mark.usefixtures("behind_proxy")
def test_from_anywhere_but_the_proxy_the_header_is_ignored(social_worker: User) -> None:
    client = Client()
    # Someone who is not the proxy cannot choose a fresh address for each guess...
    for number in range(20):
        _post(client, f"guess{number}", WRONG, "192.0.2.80", f"203.0.113.{number}")
    assert set(_failed_from()) == {"192.0.2.80"}
    assert _post(client, social_worker.username, PASSWORD, "192.0.2.80", "198.51.100.4") == 429


@pytest.mark.django_db
@pytest.mark.usefixtures("behind_proxy")
def test_a_forwarded_value_that_is_not_an_address_leaves_the_proxys() -> None:
    _post(Client(), "nobody", WRONG, PROXY, "unknown")
    assert _failed_from() == [PROXY]


@pytest.mark.django_db
def test_without_the_proxy_setting_the_header_is_never_believed() -> None:
    _post(Client(), "nobody", WRONG, PROXY, "203.0.113.5")
    assert _failed_from() == [PROXY]


PRODUCTION = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "a-long-random-production-key"}
PRINT_PROXIES = "import strategise.config.settings as s; print(s.STRATEGISE_PROXY_ADDRESSES)"


def test_behind_the_tls_proxy_the_proxy_is_on_loopback_unless_named(tmp_path: Path) -> None:
    behind = PRODUCTION | {"DJANGO_BEHIND_TLS_PROXY": "1"}
    assert run_python(["-c", PRINT_PROXIES], behind, tmp_path).stdout.strip() == "['127.0.0.1']"
    named = behind | {"STRATEGISE_PROXY_ADDRESSES": "10.0.0.5, 10.0.0.6"}
    assert (
        run_python(["-c", PRINT_PROXIES], named, tmp_path).stdout.strip()
        == "['10.0.0.5', '10.0.0.6']"
    )
    assert run_python(["-c", PRINT_PROXIES], PRODUCTION, tmp_path).stdout.strip() == "[]"


def test_a_proxy_address_that_is_not_one_is_named(tmp_path: Path) -> None:
    bad = PRODUCTION | {"DJANGO_BEHIND_TLS_PROXY": "1", "STRATEGISE_PROXY_ADDRESSES": "nginx"}
    result = run_python(["-c", PRINT_PROXIES], bad, tmp_path)
    assert result.returncode != 0
    assert (
        "STRATEGISE_PROXY_ADDRESSES must be IP addresses separated by commas, "
        "and 'nginx' is not one"
    ) in result.stderr
