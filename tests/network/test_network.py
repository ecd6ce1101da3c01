"""Recording the network and the patterns across cases it shows: the rules of issue 13."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from strategise.access import (
    may_handle_alert,
    visible_network_links,
    visible_pattern_alerts,
)
from strategise.audit.models import AuditEvent
from strategise.cases.models import Adult, Child
from strategise.network.models import AlertStatus, Entity, Link, NetworkSetting, PatternAlert
from strategise.network.selectors import (
    NetworkFilter,
    groups_of_child,
    network_of_child,
    pattern_alert_get,
)
from strategise.network.services import (
    EntityValues,
    LinkValues,
    network_link_add,
    pattern_alert_dismiss,
    pattern_request_facts,
    pattern_request_raise,
)
from strategise.notifications.models import Notification
from strategise.notifications.tasks import notification_email_deliver
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.problems import Problem
from strategise.requests.models import StrategyRequest
from strategise.requests.services import Perpetrator
from tests.factories import (
    AdultFactory,
    StrategyRequestFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _request(authority: LocalAuthority, worker: User, **kw: object) -> StrategyRequest:
    return StrategyRequestFactory.create(local_authority=authority, raised_by=worker, **kw)


def _child(request: StrategyRequest) -> Child:
    child = request.children.first()
    assert child is not None
    return child


def _add(
    worker: User,
    request: StrategyRequest,
    entity: EntityValues,
    kind: str = "driven_in",
    since: date | None = None,
    token: str = "",
) -> Link:
    return network_link_add(
        user=worker,
        request=request,
        entity=entity,
        link=LinkValues(
            child=_child(request),
            kind=kind,
            since=since,
            until=None,
            agency="Police",
            confidence="reported",
        ),
        now=timezone.now(),
        token=token,
    )


CAR = EntityValues(kind="vehicle", registration="ab12 cde", description="Blue Ford Focus")
PARK = EntityValues(kind="place", name="Victoria Park", place_kind="park", safety="risk")


@pytest.fixture
def lead(authority: LocalAuthority) -> User:
    """The authority's exploitation lead (its network setting)."""
    person = UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), role=Role.SOCIAL_WORKER
    )
    NetworkSetting.objects.create(local_authority=authority, exploitation_lead=person)
    return person


@pytest.fixture
def worker(authority: LocalAuthority, team_manager: User) -> User:
    team = TeamFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"), manager=team_manager
    )
    return UserFactory.create(
        agency=authority.agencies.get(kind="childrens_social_care"),
        role=Role.SOCIAL_WORKER,
        team=team,
    )


def test_the_same_registration_typed_differently_is_one_vehicle(
    authority: LocalAuthority, worker: User
) -> None:
    first = _add(worker, _request(authority, worker), CAR)
    second = _add(
        worker, _request(authority, worker), EntityValues(kind="vehicle", registration="AB12CDE")
    )
    assert first.entity_id == second.entity_id
    assert Entity.objects.get().match_key == "vehicle:AB12CDE"
    assert Entity.objects.get().registration == "AB12 CDE"


def test_a_link_is_audited_and_a_repeated_post_records_it_once(
    authority: LocalAuthority, worker: User
) -> None:
    request = _request(authority, worker)
    first = _add(worker, request, CAR, token="t1")
    again = _add(worker, request, CAR, token="t1")
    assert first.pk == again.pk
    assert Link.objects.count() == 1
    event = AuditEvent.objects.filter(object_type="network.Link").get()
    assert event.child_ids == [_child(request).pk]


def test_every_problem_is_reported_at_once(authority: LocalAuthority, worker: User) -> None:
    request = _request(authority, worker)
    with pytest.raises(Problem) as raised:
        network_link_add(
            user=worker,
            request=request,
            entity=EntityValues(kind="place", name=""),
            link=LinkValues(
                child=None,
                kind="",
                since=date(2026, 5, 2),
                until=date(2026, 5, 1),
                agency=" ",
                confidence="",
            ),
            now=timezone.now(),
        )
    fields = {field for field, _ in raised.value.errors}
    assert fields == {
        "name",
        "place_kind",
        "safety",
        "child",
        "link_kind",
        "agency",
        "confidence",
        "until",
    }
    with pytest.raises(Problem) as raised:
        _add(worker, request, EntityValues(kind="account", platform="nowhere", handle="@"))
    assert {field for field, _ in raised.value.errors} == {"platform", "handle"}
    with pytest.raises(Problem) as raised:
        _add(worker, request, EntityValues(kind="vehicle", registration=" - "))
    assert {field for field, _ in raised.value.errors} == {"registration"}
    with pytest.raises(Problem) as raised:
        _add(worker, request, EntityValues(kind="person"))
    assert {field for field, _ in raised.value.errors} == {"name"}
    with pytest.raises(Problem) as raised:
        _add(worker, request, EntityValues(kind="robot"))
    assert {field for field, _ in raised.value.errors} == {"kind"}
    assert not Link.objects.exists()


def test_only_social_care_of_the_authority_records_the_network(
    authority: LocalAuthority,
    worker: User,
    police_officer: User,
    other_authority_social_worker: User,
) -> None:
    request = _request(authority, worker)
    for outsider in (police_officer, other_authority_social_worker):
        with pytest.raises(Problem):
            _add(outsider, request, CAR)
    elsewhere = AdultFactory.create()
    with pytest.raises(Problem) as raised:
        _add(worker, request, EntityValues(kind="person", adult=elsewhere))
    assert raised.value.errors[0][0] == "adult"


def test_three_children_linked_to_one_car_raise_one_alert_to_the_lead_and_team_manager(
    authority: LocalAuthority, worker: User, lead: User, team_manager: User
) -> None:
    for n in range(3):
        _add(worker, _request(authority, worker), CAR, since=date(2026, 1 + n, 1))
    alert = PatternAlert.objects.get()
    assert alert.kind == "shared"
    assert alert.sureness == "certain"
    assert alert.since == date(2026, 1, 1)
    assert len(alert.evidence["children"]) == 3
    assert len(alert.evidence["requests"]) == 3
    assert len(alert.evidence["links"]) == 3
    assert alert.label == "AB12 CDE Blue Ford Focus is linked to 3 children"
    told = set(Notification.objects.filter(kind="pattern").values_list("user", flat=True))
    assert told == {lead.pk, team_manager.pk}
    # Their emails name no child, car or place (the autouse check holds them to it too).
    for notification in Notification.objects.filter(kind="pattern"):
        assert notification_email_deliver(notification.pk, mailer=EmailBackend())
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert f"Pattern across cases {alert.pk}" in message.body
        assert "AB12" not in message.body and "Ford" not in message.body
    # A fourth child updates the evidence; nobody is told twice.
    _add(worker, _request(authority, worker), CAR)
    alert.refresh_from_db()
    assert len(alert.evidence["children"]) == 4
    assert PatternAlert.objects.count() == 1
    assert Notification.objects.filter(kind="pattern").count() == 2


def test_two_children_raise_nothing_and_authorities_are_never_mixed(
    authority: LocalAuthority, worker: User, other_authority_social_worker: User
) -> None:
    for _ in range(2):
        _add(worker, _request(authority, worker), CAR)
    other = other_authority_social_worker
    assert other.agency is not None
    _add(other, _request(other.agency.local_authority, other), CAR)
    assert not PatternAlert.objects.exists()


def test_a_stepfather_with_his_car_and_a_park_makes_a_pattern_across_three_children(
    authority: LocalAuthority, worker: User, lead: User
) -> None:
    stepfather = AdultFactory.create(local_authority=authority, first_name="Dean")
    first, second, third = (_request(authority, worker) for _ in range(3))
    _add(worker, first, EntityValues(kind="person", adult=stepfather), kind="family")
    _add(worker, first, EntityValues(**{**CAR.__dict__, "used_by": stepfather}))
    _add(worker, first, PARK, kind="goes_to")
    _add(worker, second, CAR)
    park = Entity.objects.get(kind="place")
    _add(worker, third, EntityValues(kind="place", existing=park), kind="goes_to")
    assert not PatternAlert.objects.exists()
    _add(worker, third, EntityValues(kind="person", adult=stepfather), kind="seen_with")
    alert = PatternAlert.objects.get()
    assert alert.label == f"{stepfather.full_name} is linked to 3 children"
    assert set(alert.evidence["children"]) == {_child(r).pk for r in (first, second, third)}
    assert alert.sureness == "certain"
    # The lead raises a complex request from it, the children and facts filled in.
    facts = pattern_request_facts(alert)
    assert facts["children"] == sorted(alert.evidence["children"])
    assert "AB12 CDE" in facts["narrative"]
    raised = pattern_request_raise(
        user=lead,
        alert=alert,
        children=list(Child.objects.filter(pk__in=facts["children"])),
        concerns=facts["concerns"],
        narrative=facts["narrative"],
        identified_at=timezone.now() - timedelta(minutes=1),
        now=timezone.now(),
    )
    alert.refresh_from_db()
    assert alert.status == AlertStatus.RAISED
    assert alert.complex_request == raised
    assert raised.discussion_type == "complex"
    assert set(raised.children.values_list("pk", flat=True)) == set(facts["children"])
    assert raised.alleged_perpetrators.get().adult == stepfather


def test_a_dismissed_false_match_is_remembered_and_not_raised_again(
    authority: LocalAuthority, worker: User, lead: User
) -> None:
    for _ in range(3):
        _add(worker, _request(authority, worker), CAR)
    alert = PatternAlert.objects.get()
    with pytest.raises(Problem):
        pattern_alert_dismiss(
            user=lead, alert=alert, reason=" ", version=alert.version, now=timezone.now()
        )
    with pytest.raises(Problem):
        pattern_alert_dismiss(
            user=worker, alert=alert, reason="x", version=alert.version, now=timezone.now()
        )
    with pytest.raises(Problem):
        pattern_alert_dismiss(
            user=lead, alert=alert, reason="x", version=alert.version - 1, now=timezone.now()
        )
    pattern_alert_dismiss(
        user=lead,
        alert=alert,
        reason="Cloned plates: two cars",
        version=alert.version,
        now=timezone.now(),
    )
    _add(worker, _request(authority, worker), CAR)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.DISMISSED
    assert alert.dismissed_reason == "Cloned plates: two cars"
    assert len(alert.evidence["children"]) == 3
    with pytest.raises(Problem):
        pattern_alert_dismiss(
            user=lead, alert=alert, reason="again", version=alert.version, now=timezone.now()
        )


def test_a_person_in_a_position_of_trust_in_two_requests_raises_an_alert(
    authority: LocalAuthority, worker: User, lead: User
) -> None:
    coach = AdultFactory.create(
        local_authority=authority, works_with_children=True, occupation="Football coach"
    )
    trust = [Perpetrator(name=coach.full_name, position_of_trust=True, role="Coach")]
    first = _request(authority, worker, perpetrators=trust)
    second = _request(authority, worker, perpetrators=trust)
    first.alleged_perpetrators.update(adult=coach)
    second.alleged_perpetrators.update(adult=coach)
    _add(worker, second, EntityValues(kind="person", adult=coach), kind="alleged_perpetrator")
    alert = PatternAlert.objects.get(kind="trust")
    assert alert.evidence["requests"] == [first.pk, second.pk]
    assert "in a position of trust, is named in 2 requests" in alert.label


def test_alerts_are_for_the_lead_and_managers_and_the_network_for_those_who_see_the_case(
    authority: LocalAuthority,
    worker: User,
    lead: User,
    team_manager: User,
    police_officer: User,
    other_authority_social_worker: User,
) -> None:
    links = [_add(worker, _request(authority, worker), CAR) for _ in range(3)]
    alert = PatternAlert.objects.get()
    assert list(visible_pattern_alerts(lead)) == [alert]
    assert list(visible_pattern_alerts(team_manager)) == [alert]
    assert may_handle_alert(lead, alert) and may_handle_alert(team_manager, alert)
    for nobody in (worker, police_officer, other_authority_social_worker):
        assert not visible_pattern_alerts(nobody).exists()
        assert not may_handle_alert(nobody, alert)
    assert visible_network_links(worker).count() == 3
    assert not visible_network_links(police_officer).exists()
    assert not visible_network_links(other_authority_social_worker).exists()
    detail = pattern_alert_get(user=lead, pk=alert.pk)
    assert [link.pk for link in detail.links] == [link.pk for link in links]
    child = links[0].child
    assert groups_of_child(user=lead, child=child).alerts == [alert]
    assert groups_of_child(user=worker, child=child).alerts == []


def test_the_network_is_filtered_by_time_and_kind(authority: LocalAuthority, worker: User) -> None:
    request = _request(authority, worker)
    _add(worker, request, CAR, since=date(2026, 1, 1))
    network_link_add(
        user=worker,
        request=request,
        entity=PARK,
        link=LinkValues(
            child=_child(request),
            kind="goes_to",
            since=date(2025, 1, 1),
            until=date(2025, 6, 1),
            agency="School",
            confidence="confirmed",
        ),
        now=timezone.now(),
    )
    pk = _child(request).pk
    every = network_of_child(user=worker, pk=pk, only=NetworkFilter())
    assert len(every.links) == 2
    recent = network_of_child(user=worker, pk=pk, only=NetworkFilter(start=date(2025, 7, 1)))
    assert [link.entity.kind for link in recent.links] == ["vehicle"]
    early = network_of_child(user=worker, pk=pk, only=NetworkFilter(end=date(2025, 12, 1)))
    assert [link.entity.kind for link in early.links] == ["place"]
    places = network_of_child(user=worker, pk=pk, only=NetworkFilter(kinds=("place",)))
    assert [link.entity.kind for link in places.links] == ["place"]
    assert AuditEvent.objects.filter(action="view_network").count() == 4


def test_an_adult_is_one_entity_however_often_linked(
    authority: LocalAuthority, worker: User
) -> None:
    adult = AdultFactory.create(local_authority=authority)
    for _ in range(2):
        _add(worker, _request(authority, worker), EntityValues(kind="person", adult=adult))
    assert Entity.objects.filter(adult=adult).count() == 1
    assert Adult.objects.count() == 1


def test_the_exploitation_lead_is_named_by_a_command(
    authority: LocalAuthority, lead: User, police_officer: User
) -> None:
    from django.core.management import CommandError, call_command

    call_command("exploitation_lead", "sandwell", lead.username)
    assert NetworkSetting.objects.get(local_authority=authority).exploitation_lead == lead
    with pytest.raises(CommandError):
        call_command("exploitation_lead", "sandwell", police_officer.username)
    with pytest.raises(CommandError):
        call_command("exploitation_lead", "nowhere", lead.username)
    call_command("exploitation_lead", "sandwell")
    assert NetworkSetting.objects.get(local_authority=authority).exploitation_lead is None
