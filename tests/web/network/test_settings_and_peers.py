"""The network's settings page (the exploitation lead, a person or a team, and sharing
patterns with other authorities), and peers on the form that adds to the network."""

from __future__ import annotations

import pytest
from django.test import Client

from strategise.audit.models import AuditEvent
from strategise.cases.models import Child
from strategise.network.models import Link, NetworkSetting
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.requests.models import StrategyRequest
from tests.factories import ChildFactory, LocalAuthorityFactory, TeamFactory, UserFactory
from tests.web.pages import broken_error_links, choices, error_summary, page, text

pytestmark = pytest.mark.django_db


def test_an_administrator_names_the_lead_and_a_team_and_the_change_is_audited(
    client: Client, administrator: User, social_worker: User, authority: LocalAuthority
) -> None:
    hub = TeamFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), name="Exploitation hub"
    )
    bristol = LocalAuthorityFactory.create(name="Bristol City Council", slug="bristol")
    html = page(client, "/accounts/", administrator)
    assert 'href="/patterns/settings/"' in html
    html = page(client, "/patterns/settings/")
    words = text(html)
    assert "Exploitation lead" in words and "Exploitation hub" in words
    assert "Bristol City Council" in words
    assert "Does not name yours: nothing is shared until it does." in words
    assert choices(html, "shares_with") == {str(bristol.pk): False}
    response = client.post(
        "/patterns/settings/",
        {"lead": str(social_worker.pk), "team": str(hub.pk), "version": "1"},
        follow=True,
    )
    assert "Network settings saved" in text(response.content.decode())
    setting = NetworkSetting.objects.get(local_authority=authority)
    assert (setting.exploitation_lead, setting.exploitation_team) == (social_worker, hub)
    assert list(setting.shares_with.all()) == []
    assert AuditEvent.objects.filter(action="network_setting", user=administrator).count() == 1
    html = page(client, "/patterns/settings/")
    assert f'<option value="{social_worker.pk}" selected' in html


def test_a_head_of_service_opens_the_settings_from_the_patterns_and_errors_name_the_field(
    client: Client, authority: LocalAuthority
) -> None:
    head = UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.HEAD_OF_SERVICE
    )
    assert 'href="/patterns/settings/"' in page(client, "/patterns/", head)
    response = client.post("/patterns/settings/", {"lead": "99999", "version": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert error_summary(html) == [("Choose someone from the list", "lead")]
    assert broken_error_links(html) == []
    # Someone saved meanwhile: the stale form says so and changes nothing.
    NetworkSetting.objects.create(local_authority=authority, version=3)
    response = client.post("/patterns/settings/", {"lead": "", "version": "1"})
    assert "Someone else changed these settings" in text(response.content.decode())
    assert NetworkSetting.objects.get().version == 3


def test_a_peer_is_chosen_from_the_authoritys_children_on_the_form(
    client: Client,
    social_worker: User,
    strategy_request: StrategyRequest,
    child: Child,
    authority: LocalAuthority,
) -> None:
    peer = ChildFactory.create(local_authority=authority, first_name="Jay", last_name="Reid")
    client.force_login(social_worker)
    html = page(client, f"/requests/{strategy_request.pk}/network/add/")
    assert "A peer already recorded as a child (optional)" in text(html)
    assert f'<option value="{peer.pk}"' in html
    assert "Peer-on-peer abuse: this peer is alleged to have harmed the child" in text(html)
    response = client.post(
        f"/requests/{strategy_request.pk}/network/add/",
        {
            "child": str(child.pk),
            "kind": "person",
            "peer": str(child.pk),
            "link_kind": "peer_abuse",
            "agency": "School",
            "confidence": "reported",
        },
    )
    html = response.content.decode()
    assert error_summary(html) == [("Choose a peer other than the child themselves", "peer")]
    response = client.post(
        f"/requests/{strategy_request.pk}/network/add/",
        {
            "child": str(child.pk),
            "kind": "person",
            "peer": str(peer.pk),
            "link_kind": "peer_abuse",
            "agency": "School",
            "confidence": "reported",
        },
        follow=True,
    )
    words = text(response.content.decode())
    assert "Added to the network" in words
    assert "Jay Reid" in words and "A child or young person (a peer)." in words
    assert Link.objects.get().entity.child == peer
    # A young person not recorded here.
    client.post(
        f"/requests/{strategy_request.pk}/network/add/",
        {
            "child": str(child.pk),
            "kind": "person",
            "name": "Tyler",
            "young_person": "on",
            "link_kind": "peer_positive",
            "agency": "School",
            "confidence": "reported",
        },
    )
    assert Link.objects.get(kind="peer_positive").entity.young_person
    # The peer's own network names the child they are linked to.
    words = text(page(client, f"/children/{peer.pk}/network/"))
    assert child.full_name in words and "Peer-on-peer abuse" in words


def test_a_shared_pattern_counts_the_other_authoritys_children_without_naming_them(
    client: Client, team_manager: User, child: Child, authority: LocalAuthority
) -> None:
    from django.utils import timezone

    from strategise.network.models import PatternAlert

    alert = PatternAlert.objects.create(
        local_authority=authority,
        kind="shared",
        match_key="vehicle:AB12CDE",
        label="AB12 CDE is linked to 4 children",
        sureness="certain",
        evidence={
            "children": [child.pk],
            "requests": [],
            "links": [],
            "elsewhere": [{"authority": 0, "name": "Bristol City Council", "children": 3}],
        },
        raised_at=timezone.now(),
        updated_at=timezone.now(),
    )
    alert.children.add(child)
    words = text(page(client, f"/patterns/{alert.pk}/", team_manager))
    assert "Bristol City Council: 3 children" in words
    assert "Their children are not named here" in words
