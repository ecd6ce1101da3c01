"""The demo's network around children: in Demo Sandwell, an adult, a car and a park that
three children's exploitation requests share, recorded through the network services, so
the exploitation lead finds a pattern across cases on first sign-in."""

from __future__ import annotations

import pytest
from django.test import Client

from strategise.demo.network import GROUP, NETWORK_AUTHORITY
from strategise.network.models import Link, NetworkSetting, PatternAlert
from strategise.network.selectors import pattern_alerts
from strategise.notifications.models import Notification
from strategise.organisations.models import LocalAuthority, User
from tests.demo.conftest import Loaded

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(loaded: Loaded, db: None) -> Loaded:
    return loaded


def test_the_exploitation_lead_finds_the_pattern_on_first_sign_in(
    demo: Loaded, client: Client
) -> None:
    authority = LocalAuthority.objects.get(profile=NETWORK_AUTHORITY)
    lead = User.objects.get(username=f"po.{NETWORK_AUTHORITY}")
    assert NetworkSetting.objects.get(local_authority=authority).exploitation_lead == lead
    links = Link.objects.filter(local_authority=authority)
    assert {link.entity.kind for link in links} == {"person", "vehicle", "place"}
    assert links.values("request").distinct().count() == GROUP
    alerts = pattern_alerts(user=lead)
    assert alerts and all(alert.status == "open" for alert in alerts)
    assert {len(alert.evidence["children"]) for alert in alerts} == {GROUP}
    # Told of it, and it is on their list of patterns.
    assert Notification.objects.filter(user=lead, read_at__isnull=True).exists()
    client.force_login(lead)
    page = client.get("/patterns/").content.decode()
    assert "DX19 KFR Silver Vauxhall Corsa is linked to 3 children" in " ".join(page.split())


def test_only_one_authority_has_the_network(demo: Loaded) -> None:
    others = PatternAlert.objects.exclude(local_authority__profile=NETWORK_AUTHORITY)
    assert not others.exists()
