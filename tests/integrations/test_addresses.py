"""Webhook endpoints only on the public internet: internal addresses are refused when an
endpoint is saved and again before each try (a name that resolves elsewhere later), unless
STRATEGISE_WEBHOOKS_ALLOW_PRIVATE is on (as for the test suite's receiver on loopback)."""

from __future__ import annotations

import socket
from collections.abc import Callable
from ipaddress import ip_address
from typing import Any

import pytest
from django.test import override_settings

from strategise.integrations import addresses, sending
from strategise.integrations.models import DeliveryStatus, WebhookAttempt, WebhookEndpoint
from strategise.integrations.services import webhook_delivery_attempt, webhook_endpoint_create
from strategise.organisations.models import LocalAuthority, User
from strategise.problems import Problem
from tests.discussions.support import NOW, make_child, make_request
from tests.integrations.receiver import receiver

Capture = Callable[..., Any]
PRIVATE_OFF = override_settings(STRATEGISE_WEBHOOKS_ALLOW_PRIVATE=False)


@pytest.mark.parametrize(
    ("address", "named"),
    [
        ("127.0.0.1", "a loopback address"),
        ("::1", "a loopback address"),
        ("10.1.2.3", "a private address (RFC 1918)"),
        ("172.16.0.1", "a private address (RFC 1918)"),
        ("192.168.1.20", "a private address (RFC 1918)"),
        ("169.254.169.254", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("100.64.0.1", "a shared address of carrier-grade NAT (100.64.0.0/10)"),
        ("224.0.0.251", "a multicast address"),
        ("ff02::1", "a multicast address"),
        ("0.0.0.0", "the unspecified address"),  # noqa: S104 - a value under test
        ("240.0.0.1", "a reserved address"),
        ("fd12:3456::1", "a unique local IPv6 address"),
        ("::ffff:10.0.0.1", "an IPv6 form of 10.0.0.1, a private address"),
        ("::ffff:127.0.0.1", "an IPv6 form of 127.0.0.1, a loopback address"),
        ("2002:a00:1::", "an IPv6 form of 10.0.0.1, a private address"),
        ("64:ff9b::a9fe:a9fe", "an IPv6 form of 169.254.169.254, a link-local"),
        ("192.0.2.10", "a special-purpose address"),
    ],
)
def test_internal_addresses_are_named(address: str, named: str) -> None:
    assert addresses.kind(ip_address(address)).startswith(named)


@pytest.mark.parametrize("address", ["81.2.69.160", "2a00:1450:4009:81f::200e", "8.8.8.8"])
def test_public_addresses_are_not_refused(address: str) -> None:
    assert addresses.kind(ip_address(address)) == ""
    assert addresses.target(f"https://[{address}]/" if ":" in address else f"https://{address}/",
                            allow_private=False).address == address  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "https://10.0.0.5/hooks",
            "Enter a different address: 10.0.0.5 is a private address (RFC 1918): Strategise "
            "sends webhooks only to addresses on the public internet",
        ),
        (
            "https://localhost:8443/hooks",
            "localhost resolves to 127.0.0.1, which is a loopback address (this machine)",
        ),
        ("https://169.254.169.254/latest/meta-data/", "is a link-local address"),
        ("https://[::ffff:192.168.0.1]/", "an IPv6 form of 192.168.0.1, a private address"),
        ("https://[fd00::1]/", "a unique local IPv6 address"),
        ("https://no-such-host.invalid/", "no-such-host.invalid is not a name that can be found"),
        ("http://127.0.0.1:8000/hooks", "must start with https://"),
    ],
)
def test_saving_an_internal_address_is_refused(
    authority: LocalAuthority, url: str, message: str
) -> None:
    with PRIVATE_OFF, pytest.raises(Problem) as refused:
        webhook_endpoint_create(authority=authority, url=url, events=["request.created"], now=NOW)
    (field, text), *_ = refused.value.errors
    assert field == "url" and message in text
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db
def test_a_name_now_resolving_to_an_internal_address_is_not_sent_to(
    authority: LocalAuthority,
    social_worker: User,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    """Saved while internal addresses were allowed (a name that then resolved publicly),
    the receiver on loopback is refused at the try: nothing reaches it, and the log says
    why."""
    with receiver() as hook:
        webhook_endpoint_create(
            authority=authority, url=hook.url, events=["request.created"], now=NOW
        )
        with PRIVATE_OFF, django_capture_on_commit_callbacks(execute=True):
            make_request(social_worker, [make_child(social_worker, "Amara")])
    attempt = WebhookAttempt.objects.get()
    assert hook.received == []
    assert (attempt.status_code, attempt.succeeded) == (None, False)
    assert attempt.error == (
        "Not sent: 127.0.0.1 is a loopback address (this machine): Strategise sends webhooks "
        "only to addresses on the public internet"
    )
    assert attempt.delivery.status == DeliveryStatus.PENDING


@pytest.mark.django_db
def test_dns_rebinding_is_refused_and_the_try_connects_to_the_address_checked(
    authority: LocalAuthority,
    social_worker: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A name that resolved to a public address when saved and to this machine at the try
    is refused; one still public is sent to the address checked, not looked up again."""
    answers = {"cases.example.gov.uk": "81.2.69.160"}

    def getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    sent: list[dict[str, Any]] = []

    def post(**kwargs: Any) -> sending.Answer:
        sent.append(kwargs)
        return sending.Answer(200, "", "", 1)

    with PRIVATE_OFF:
        webhook_endpoint_create(
            authority=authority,
            url="https://cases.example.gov.uk/hooks",
            events=["request.created"],
            now=NOW,
        )
        make_request(social_worker, [make_child(social_worker, "Amara")])
        make_request(social_worker, [make_child(social_worker, "Leo")])
        rebound, public = WebhookEndpoint.objects.get().deliveries.order_by("pk")
        answers["cases.example.gov.uk"] = "192.168.0.10"
        first = webhook_delivery_attempt(delivery_id=rebound.pk, now=NOW, post=post)
        answers["cases.example.gov.uk"] = "81.2.69.160"
        second = webhook_delivery_attempt(delivery_id=public.pk, now=NOW, post=post)
    assert first is not None and second is not None
    assert first.error == (
        "Not sent: cases.example.gov.uk resolves to 192.168.0.10, which is a private address "
        "(RFC 1918): Strategise sends webhooks only to addresses on the public internet"
    )
    assert [call["address"] for call in sent] == ["81.2.69.160"]
    assert sent[0]["url"] == "https://cases.example.gov.uk/hooks" and second.succeeded


def test_the_client_connects_to_the_pinned_address_naming_the_host() -> None:
    """Given an address, the try goes there whatever the name would resolve to, and the
    request still names the host."""
    with receiver() as hook:
        port = hook.url.split(":")[2].split("/")[0]
        answer = sending.post(
            url=f"http://no-such-host.invalid:{port}/hooks",
            body=b"{}",
            headers={},
            timeout=5,
            address="127.0.0.1",
        )
    assert answer.succeeded
    assert hook.received[0].headers["host"] == f"no-such-host.invalid:{port}"


@pytest.mark.django_db
def test_the_page_names_the_problem(administrator: User, client: Any) -> None:
    client.force_login(administrator)
    with PRIVATE_OFF:
        page = client.post(
            "/accounts/webhooks/new/",
            {"url": "https://192.168.1.1/hooks", "events": ["request.created"], "save": ""},
        ).content.decode()
    assert "192.168.1.1 is a private address (RFC 1918)" in page
    assert 'href="#url"' in page
    assert not WebhookEndpoint.objects.exists()
