"""Where an audited request came from: the socket's address, or, from the TLS proxy (and
only from it), the address the proxy put last in X-Forwarded-For. The proxy middleware's
own rules are tested in tests/deploy/test_client_address.py."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from strategise.audit.models import AuditEvent
from strategise.cases.models import Child
from strategise.organisations.models import User

REMOTE = "10.0.0.5"
# The client claimed the first; the proxy appended the second, what it saw.
CHAIN = "203.0.113.9, 198.51.100.20"


@pytest.mark.django_db
@pytest.mark.parametrize(("proxies", "recorded"), [([], "10.0.0.5"), ([REMOTE], "198.51.100.20")])
def test_an_audited_read_records_where_it_came_from(
    client: Client, social_worker: User, child: Child, proxies: list[str], recorded: str
) -> None:
    client.force_login(social_worker)
    with override_settings(STRATEGISE_PROXY_ADDRESSES=proxies):
        assert (
            client.get(
                f"/children/{child.pk}/", REMOTE_ADDR=REMOTE, HTTP_X_FORWARDED_FOR=CHAIN
            ).status_code
            == 200
        )
    event = AuditEvent.objects.filter(object_type="cases.Child").latest("pk")
    assert event.remote_addr == recorded
