"""The webhooks page of the account administration: an administrator adds an endpoint
(its secret shown once), switches one off and reads the delivery log; anyone else, and
any endpoint of another authority, is not found."""

from __future__ import annotations

import html

import pytest
from django.utils import timezone

from strategise.audit.models import AuditEvent
from strategise.integrations.encryption import decrypt
from strategise.integrations.models import WebhookEndpoint
from strategise.integrations.services import webhook_endpoint_create
from strategise.organisations.models import LocalAuthority, User
from tests.integrations.support import tried_once
from tests.second_factor import VerifiedClient

pytestmark = pytest.mark.django_db

URL = "https://cases.example.gov.uk/strategise"


def _endpoint(authority: LocalAuthority) -> WebhookEndpoint:
    endpoint, _ = webhook_endpoint_create(
        authority=authority, url=URL, events=["request.created"], now=timezone.now()
    )
    return endpoint


def test_an_administrator_adds_an_endpoint_and_sees_its_secret_once(
    client: VerifiedClient, administrator: User
) -> None:
    client.force_login(administrator)
    page = client.get("/accounts/webhooks/")
    assert "Your authority has no endpoints: nothing is sent." in page.content.decode()
    made = client.post(
        "/accounts/webhooks/new/",
        {"url": URL, "events": ["request.created", "clock.breached"], "save": ""},
    )
    endpoint = WebhookEndpoint.objects.get()
    secret = decrypt(endpoint.secret_encrypted)
    assert made.status_code == 200 and made["Cache-Control"] == "no-store"
    assert secret.startswith("whsec_") and secret in made.content.decode()
    assert endpoint.local_authority_id == administrator.local_authority_id
    assert endpoint.events == ["request.created", "clock.breached"]
    listed = client.get("/accounts/webhooks/").content.decode()
    assert URL in listed and secret not in listed
    event = AuditEvent.objects.get(action="webhook-endpoint-create")
    assert event.user == administrator and secret not in str(event.detail)


def test_a_bad_address_and_no_events_are_named_and_nothing_is_added(
    client: VerifiedClient, administrator: User
) -> None:
    client.force_login(administrator)
    page = html.unescape(
        client.post(
            "/accounts/webhooks/new/", {"url": "http://cases.example.gov.uk/", "save": ""}
        ).content.decode()
    )
    assert "The endpoint's address must start with https://" in page
    assert 'href="#url"' in page and 'href="#events"' in page
    assert "Choose at least one event to send" in page
    assert not WebhookEndpoint.objects.exists()


def test_an_administrator_switches_an_endpoint_off_and_on(
    client: VerifiedClient, administrator: User, authority: LocalAuthority
) -> None:
    endpoint = _endpoint(authority)
    client.force_login(administrator)
    off = client.post("/accounts/webhooks/", {"endpoint": endpoint.pk, "active": "off"})
    assert off.status_code == 302
    endpoint.refresh_from_db()
    assert not endpoint.active
    page = client.get("/accounts/webhooks/").content.decode()
    assert "its events wait until it is switched on again" in page
    client.post("/accounts/webhooks/", {"endpoint": endpoint.pk, "active": "on"})
    endpoint.refresh_from_db()
    assert endpoint.active


def test_another_authoritys_endpoint_is_not_found(
    client: VerifiedClient, administrator: User, other_authority_social_worker: User
) -> None:
    other = LocalAuthority.objects.get(slug="birmingham")
    theirs = _endpoint(other)
    client.force_login(administrator)
    assert URL not in client.get("/accounts/webhooks/").content.decode()
    refused = client.post("/accounts/webhooks/", {"endpoint": theirs.pk, "active": "off"})
    assert refused.status_code == 404
    assert client.post("/accounts/webhooks/", {"endpoint": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.active


def test_the_delivery_log_shows_each_try(
    client: VerifiedClient, administrator: User, authority: LocalAuthority
) -> None:
    tried_once(_endpoint(authority), excerpt="Internal trouble")
    client.force_login(administrator)
    page = client.get("/accounts/webhooks/").content.decode()
    assert "Internal trouble" in page and "HTTP 500" in page
    assert "Waiting to be sent, or to be tried again" in page
