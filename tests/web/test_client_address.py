"""Where an audited request came from: the socket's address, or behind the TLS proxy (and
only then) the address the proxy put last in X-Forwarded-For."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory, override_settings

from strategise.audit.middleware import client_address
from strategise.audit.models import AuditEvent
from strategise.cases.models import Child
from strategise.organisations.models import User

REMOTE = "10.0.0.5"
# The client claimed the first; the proxy appended the second, what it saw.
CHAIN = "203.0.113.9, 198.51.100.20"


@override_settings(STRATEGISE_TRUST_X_FORWARDED_FOR=False)
def test_without_the_proxy_setting_the_header_is_ignored() -> None:
    assert (
        client_address(RequestFactory().get("/", REMOTE_ADDR=REMOTE, HTTP_X_FORWARDED_FOR=CHAIN))
        == "10.0.0.5"
    )


@override_settings(STRATEGISE_TRUST_X_FORWARDED_FOR=True)
def test_behind_the_proxy_the_address_it_added_is_used() -> None:
    # The client may claim anything before it; the proxy appends what it saw, last.
    assert (
        client_address(RequestFactory().get("/", REMOTE_ADDR=REMOTE, HTTP_X_FORWARDED_FOR=CHAIN))
        == "198.51.100.20"
    )


@override_settings(STRATEGISE_TRUST_X_FORWARDED_FOR=True)
@pytest.mark.parametrize("header", ["", "not-an-address", "198.51.100.20, "])
def test_behind_the_proxy_a_missing_or_bad_header_falls_back(header: str) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=header)
    assert client_address(request) == "10.0.0.5"


@pytest.mark.django_db
@pytest.mark.parametrize(("trusted", "recorded"), [(False, "10.0.0.5"), (True, "198.51.100.20")])
def test_an_audited_read_records_where_it_came_from(
    client: Client, social_worker: User, child: Child, trusted: bool, recorded: str
) -> None:
    client.force_login(social_worker)
    with override_settings(STRATEGISE_TRUST_X_FORWARDED_FOR=trusted):
        assert (
            client.get(
                f"/children/{child.pk}/", REMOTE_ADDR=REMOTE, HTTP_X_FORWARDED_FOR=CHAIN
            ).status_code
            == 200
        )
    event = AuditEvent.objects.filter(object_type="cases.Child").latest("pk")
    assert event.remote_addr == recorded
