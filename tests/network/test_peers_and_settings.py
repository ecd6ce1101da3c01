"""Peers on the network, the authority's network setting (its exploitation lead, a person
or a team, and the authorities it shares patterns with) and the patterns those decide."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from strategise.access import is_exploitation_lead, may_see_patterns, may_set_network
from strategise.audit.models import AuditEvent
from strategise.network.models import Entity, Link, NetworkSetting, PatternAlert
from strategise.network.selectors import (
    NetworkFilter,
    network_of_child,
    network_setting_get,
    pattern_alert_get,
)
from strategise.network.services import (
    EntityValues,
    SettingValues,
    network_setting_set,
)
from strategise.notifications.models import Notification
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.problems import Problem
from strategise.requests.services import Perpetrator, request_create
from tests.factories import (
    AdultFactory,
    AgencyFactory,
    ChildFactory,
    LocalAuthorityFactory,
    TeamFactory,
    UserFactory,
)
from tests.network.test_network import _add, _child, _request

pytestmark = pytest.mark.django_db

CAR = EntityValues(kind="vehicle", registration="AB12 CDE")


def _social_care(authority: LocalAuthority, role: str = Role.SOCIAL_WORKER, **kw: object) -> User:
    return UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=role, **kw
    )


# --- peers --------------------------------------------------------------------------


def test_a_peer_recorded_as_a_child_is_one_entity_and_their_own_network_shows_the_link(
    authority: LocalAuthority, social_worker: User
) -> None:
    request = _request(authority, social_worker)
    peer = ChildFactory.create(local_authority=authority, first_name="Jay")
    link = _add(social_worker, request, EntityValues(kind="person", peer=peer), kind="peer_abuse")
    assert link.entity.child == peer
    assert link.entity.is_peer
    assert link.get_kind_display() == (
        "Peer-on-peer abuse: this peer is alleged to have harmed the child"
    )
    again = _add(
        social_worker,
        _request(authority, social_worker),
        EntityValues(kind="person", peer=peer),
        kind="peer_concern",
    )
    assert again.entity_id == link.entity_id
    # Bristol: children who may be alleged perpetrators are discussed too. The peer's own
    # network names the children they are linked to.
    network = network_of_child(user=social_worker, pk=peer.pk, only=NetworkFilter())
    assert {row.pk for row in network.links} == {link.pk, again.pk}
    assert network.children[0] == peer


def test_a_young_person_not_recorded_here_is_a_peer_and_an_adult_is_not(
    authority: LocalAuthority, social_worker: User
) -> None:
    request = _request(authority, social_worker)
    young = _add(
        social_worker,
        request,
        EntityValues(kind="person", name="Tyler", young_person=True),
        kind="peer",
    )
    adult = _add(social_worker, request, EntityValues(kind="person", name="Dean Cole"))
    assert young.entity.is_peer and young.entity.young_person
    assert not adult.entity.is_peer
    # "A young person" is about a person, never a place.
    place = _add(
        social_worker,
        request,
        EntityValues(
            kind="place", name="Park", place_kind="park", safety="risk", young_person=True
        ),
        kind="goes_to",
    )
    assert not place.entity.young_person


def test_a_peer_is_another_child_of_this_authority_and_not_also_an_adult(
    authority: LocalAuthority, social_worker: User, other_authority_social_worker: User
) -> None:
    request = _request(authority, social_worker)
    child = _child(request)
    elsewhere = ChildFactory.create(local_authority=LocalAuthorityFactory.create())
    adult = AdultFactory.create(local_authority=authority)
    for peer, adult_too, message in (
        (child, None, "Choose a peer other than the child themselves"),
        (elsewhere, None, "Choose a child recorded in this authority"),
        (ChildFactory.create(local_authority=authority), adult, "Choose an adult or a child"),
    ):
        with pytest.raises(Problem) as raised:
            _add(
                social_worker,
                request,
                EntityValues(kind="person", peer=peer, adult=adult_too),
                kind="peer",
            )
        assert ("peer", message) in [(f, m[: len(message)]) for f, m in raised.value.errors]
    assert not Link.objects.exists()


def test_positive_peers_and_safe_spaces_are_mapped_but_never_a_pattern(
    authority: LocalAuthority, social_worker: User
) -> None:
    school = EntityValues(kind="place", name="Oak Academy", place_kind="school", safety="safe")
    friend = ChildFactory.create(local_authority=authority)
    for _ in range(4):
        request = _request(authority, social_worker)
        _add(social_worker, request, school, kind="protective")
        _add(social_worker, request, EntityValues(kind="person", peer=friend), kind="peer_positive")
    assert Link.objects.count() == 8
    assert not PatternAlert.objects.exists()
    # The same peer of concern to three children is a pattern (peer-on-peer abuse).
    for _ in range(3):
        _add(
            social_worker,
            _request(authority, social_worker),
            EntityValues(kind="person", peer=friend),
            kind="peer_concern",
        )
    alert = PatternAlert.objects.get()
    assert len(alert.evidence["children"]) == 3


# --- a position of trust, from the request itself ----------------------------------------


def test_a_coach_named_in_a_second_request_raises_an_alert_when_the_request_is_made(
    authority: LocalAuthority, social_worker: User, team_manager: User
) -> None:
    lead = _social_care(authority)
    NetworkSetting.objects.create(local_authority=authority, exploitation_lead=lead)
    coach = AdultFactory.create(
        local_authority=authority, works_with_children=True, occupation="Football coach"
    )
    now = timezone.now()
    made = [
        request_create(
            user=social_worker,
            identified_at=now - timedelta(hours=1),
            children=[ChildFactory.create(local_authority=authority)],
            concerns=["sexual_abuse"],
            flags=[],
            referrer="School",
            narrative="Told a teacher about the coach.",
            perpetrators=[
                Perpetrator(name=coach.full_name, position_of_trust=True, role="Coach", adult=coach)
            ],
            now=now,
        )
        for _ in range(2)
    ]
    alert = PatternAlert.objects.get(kind="trust")
    assert alert.evidence["requests"] == [r.pk for r in made]
    assert alert.evidence["links"] == []
    assert len(alert.evidence["perpetrators"]) == 2
    assert set(alert.children.values_list("pk", flat=True)) == {_child(r).pk for r in made}
    assert Notification.objects.filter(kind="pattern", user=lead).exists()
    detail = pattern_alert_get(user=lead, pk=alert.pk)
    assert detail.links == []
    assert [r.pk for r in detail.requests] == [r.pk for r in made]


# --- the setting --------------------------------------------------------------------------


def test_an_administrator_or_a_head_of_service_names_the_lead_and_it_is_audited(
    authority: LocalAuthority, administrator: User, social_worker: User, team_manager: User
) -> None:
    head = _social_care(authority, Role.HEAD_OF_SERVICE)
    assert may_set_network(administrator) and may_set_network(head)
    assert not may_set_network(social_worker) and not may_set_network(team_manager)
    with pytest.raises(Http404):
        network_setting_get(user=team_manager)
    with pytest.raises(Problem):
        network_setting_set(
            user=team_manager,
            authority=authority,
            values=SettingValues(lead=social_worker, team=None),
            version=1,
        )
    detail = network_setting_get(user=administrator)
    assert social_worker in detail.people and administrator not in detail.people
    setting = network_setting_set(
        user=administrator,
        authority=authority,
        values=SettingValues(lead=social_worker, team=None),
        version=detail.version,
    )
    assert setting.exploitation_lead == social_worker
    assert is_exploitation_lead(social_worker) and may_see_patterns(social_worker)
    event = AuditEvent.objects.get(action="network_setting")
    assert event.detail["after"]["lead"] == social_worker.pk
    assert event.detail["before"]["lead"] is None
    # A stale form is refused; the head of service clears the lead.
    with pytest.raises(Problem):
        network_setting_set(
            user=head, authority=authority, values=SettingValues(lead=None, team=None), version=1
        )
    network_setting_set(
        user=head, authority=authority, values=SettingValues(lead=None, team=None), version=2
    )
    assert not is_exploitation_lead(social_worker)


def test_the_setting_refuses_people_and_teams_of_elsewhere_and_names_each_field(
    authority: LocalAuthority,
    administrator: User,
    police_officer: User,
    other_authority_social_worker: User,
) -> None:
    police_team = TeamFactory.create(agency=authority.agencies.get(kind="police"))
    for lead in (police_officer, other_authority_social_worker, administrator):
        with pytest.raises(Problem) as raised:
            network_setting_set(
                user=administrator,
                authority=authority,
                values=SettingValues(lead=lead, team=police_team, shares_with=(authority,)),
                version=1,
            )
        assert {field for field, _ in raised.value.errors} == {"lead", "team", "shares_with"}
    assert not NetworkSetting.objects.exists()


def test_one_service_refuses_an_inactive_lead_on_the_page_and_the_command_naming_them(
    authority: LocalAuthority, administrator: User
) -> None:
    from django.core.management import CommandError, call_command

    gone = _social_care(authority, first_name="Kim", last_name="Hale", is_active=False)
    with pytest.raises(Problem) as raised:
        network_setting_set(
            user=administrator,
            authority=authority,
            values=SettingValues(lead=gone, team=None),
            version=1,
        )
    named = f"Kim Hale ({gone.username})"
    assert raised.value.errors == [
        (
            "lead",
            f"Choose someone active in {authority}’s children’s social care: "
            f"{named}’s account is not active",
        )
    ]
    with pytest.raises(CommandError) as refused:
        call_command("exploitation_lead", authority.slug, gone.username)
    assert str(refused.value) == raised.value.errors[0][1]
    assert not NetworkSetting.objects.filter(exploitation_lead=gone).exists()


def test_the_command_changes_only_the_lead_and_is_audited_as_the_page_is(
    authority: LocalAuthority, administrator: User, social_worker: User, bristol: LocalAuthority
) -> None:
    from django.core.management import call_command

    hub = TeamFactory.create(agency=authority.agencies.get(kind="childrens_social_care"))
    network_setting_set(
        user=administrator,
        authority=authority,
        values=SettingValues(lead=None, team=hub, shares_with=(bristol,)),
        version=1,
    )
    call_command("exploitation_lead", authority.slug, social_worker.username)
    setting = NetworkSetting.objects.get(local_authority=authority)
    assert (setting.exploitation_lead, setting.exploitation_team) == (social_worker, hub)
    assert list(setting.shares_with.all()) == [bristol]
    assert setting.version == 3
    event = AuditEvent.objects.filter(action="network_setting").order_by("pk").last()
    assert event is not None and event.user is None
    assert (event.detail["before"]["lead"], event.detail["after"]["lead"]) == (
        None,
        social_worker.pk,
    )
    assert event.detail["after"]["team"] == hub.pk


def test_an_exploitation_team_is_alerted_and_acts_as_the_lead(
    authority: LocalAuthority, administrator: User, social_worker: User
) -> None:
    hub = TeamFactory.create(agency=authority.agencies.get(kind="childrens_social_care"))
    first, second = (_social_care(authority, team=hub) for _ in range(2))
    _social_care(authority, team=hub, is_active=False)
    network_setting_set(
        user=administrator,
        authority=authority,
        values=SettingValues(lead=None, team=hub),
        version=1,
    )
    assert is_exploitation_lead(first) and not is_exploitation_lead(social_worker)
    for _ in range(3):
        _add(social_worker, _request(authority, social_worker), CAR)
    told = set(Notification.objects.filter(kind="pattern").values_list("user", flat=True))
    assert {first.pk, second.pk} <= told
    assert len(told & set(hub.members.values_list("pk", flat=True))) == 2


# --- sharing patterns between authorities ---------------------------------------------------


@pytest.fixture
def bristol() -> LocalAuthority:
    other = LocalAuthorityFactory.create(name="Bristol City Council", slug="bristol")
    AgencyFactory.create(local_authority=other, kind="childrens_social_care")
    return other


def _share(authority: LocalAuthority, *others: LocalAuthority) -> None:
    setting, _ = NetworkSetting.objects.get_or_create(local_authority=authority)
    setting.shares_with.set(others)


def test_patterns_cross_authorities_only_when_each_names_the_other(
    authority: LocalAuthority, social_worker: User, bristol: LocalAuthority
) -> None:
    bristol_worker = _social_care(bristol)
    # A third authority sharing with Sandwell both ways, with none of the children.
    gloucestershire = LocalAuthorityFactory.create(slug="gloucestershire")
    _share(gloucestershire, authority)
    for _ in range(2):
        _add(social_worker, _request(authority, social_worker), CAR)
    # Sandwell names Bristol, Bristol does not name Sandwell: nothing is shared.
    _share(authority, bristol, gloucestershire)
    _add(bristol_worker, _request(bristol, bristol_worker), CAR)
    assert not PatternAlert.objects.exists()
    # Both name each other: the next link matches across both, and each authority's alert
    # names only its own children (and counts the other's).
    _share(bristol, authority)
    _add(bristol_worker, _request(bristol, bristol_worker), CAR)
    sandwell_alert = PatternAlert.objects.get(local_authority=authority)
    bristol_alert = PatternAlert.objects.get(local_authority=bristol)
    assert set(sandwell_alert.children.values_list("local_authority", flat=True)) == {authority.pk}
    assert sandwell_alert.children.count() == 2
    assert sandwell_alert.evidence["elsewhere"] == [
        {"authority": bristol.pk, "name": "Bristol City Council", "children": 2}
    ]
    assert bristol_alert.children.count() == 2
    assert bristol_alert.evidence["elsewhere"][0]["authority"] == authority.pk
    own_links = Link.objects.filter(local_authority=authority).values_list("pk", flat=True)
    assert sorted(sandwell_alert.evidence["links"]) == sorted(own_links)
    assert set(sandwell_alert.evidence["entities"]) == set(
        Entity.objects.filter(local_authority=authority).values_list("pk", flat=True)
    )
    assert sandwell_alert.label == "AB12 CDE is linked to 4 children"
    # Sandwell's third child: Gloucestershire sees Sandwell's three, but none of its own.
    _add(social_worker, _request(authority, social_worker), CAR)
    assert PatternAlert.objects.get(local_authority=authority).children.count() == 3
    assert not PatternAlert.objects.filter(local_authority=gloucestershire).exists()
    sandwell_alert.refresh_from_db()
    assert sandwell_alert.label == "AB12 CDE is linked to 5 children"


def test_the_setting_page_says_which_authorities_name_yours(
    authority: LocalAuthority, administrator: User, bristol: LocalAuthority
) -> None:
    _share(bristol, authority)
    detail = network_setting_get(user=administrator)
    assert bristol in detail.authorities and authority not in detail.authorities
    assert detail.named_by == frozenset({bristol.pk})
    network_setting_set(
        user=administrator,
        authority=authority,
        values=SettingValues(lead=None, team=None, shares_with=(bristol,)),
        version=detail.version,
    )
    assert network_setting_get(user=administrator).shares_with == [bristol]
