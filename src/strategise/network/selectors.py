"""Reading the network: around a child, a request or a discussion, and the patterns across
cases. Every read starts from ``access`` and is audited, as every read of case data is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from strategise.access import (
    may_handle_alert,
    may_set_network,
    sees_whole_authority,
    visible_children,
    visible_discussions,
    visible_network_links,
    visible_pattern_alerts,
    visible_requests,
)
from strategise.audit.services import audit_record
from strategise.cases.models import Child
from strategise.discussions.models import Discussion
from strategise.network.models import Entity, Link, NetworkSetting, PatternAlert
from strategise.organisations.models import LocalAuthority, Team, User
from strategise.requests.models import StrategyRequest


@dataclass(frozen=True)
class NetworkFilter:
    """Which links to show: those current at some time between ``start`` and ``end``, of
    entities of the ``kinds`` chosen (all when none is)."""

    start: date | None = None
    end: date | None = None
    kinds: tuple[str, ...] = ()

    def apply(self, links: QuerySet[Link]) -> QuerySet[Link]:
        if self.start is not None:
            links = links.filter(Q(until__isnull=True) | Q(until__gte=self.start))
        if self.end is not None:
            links = links.filter(Q(since__isnull=True) | Q(since__lte=self.end))
        if self.kinds:
            links = links.filter(entity__kind__in=self.kinds)
        return links


@dataclass
class Network:
    """The children, the entities around them and the links, as the pages draw them."""

    children: list[Child]
    links: list[Link]
    entities: list[Entity] = field(default_factory=list)
    # Things tied to the person whose they are: (thing, person).
    ties: list[tuple[Entity, Entity]] = field(default_factory=list)
    request: StrategyRequest | None = None
    discussion: Discussion | None = None
    may_add: bool = False


def _network(children: list[Child], links: QuerySet[Link]) -> Network:
    chosen = list(
        links.select_related(
            "child", "entity", "entity__used_by", "entity__adult", "request"
        ).order_by("since", "pk")
    )
    entities = {link.entity.pk: link.entity for link in chosen}
    ties = [
        (entity, entity.used_by) for entity in list(entities.values()) if entity.used_by is not None
    ]
    for _, person in ties:
        entities.setdefault(person.pk, person)
    ordered = sorted(entities.values(), key=lambda entity: (entity.kind, entity.label, entity.pk))
    known = {child.pk for child in children}
    everyone = children + [link.child for link in chosen if link.child.pk not in known]
    return Network(
        children=list({c.pk: c for c in everyone}.values()),
        links=chosen,
        entities=ordered,
        ties=ties,
    )


def network_of_child(*, user: User, pk: int, only: NetworkFilter) -> Network:
    """The network around one child the user may see: every link to them the user may
    see, from every request, and every link naming them as another child's peer (Bristol
    asks that children who may be alleged perpetrators are discussed too)."""
    with transaction.atomic():
        child = get_object_or_404(visible_children(user), pk=pk)
        network = _network(
            [child],
            only.apply(visible_network_links(user).filter(Q(child=child) | Q(entity__child=child))),
        )
        audit_record(user=user, action="view_network", obj=child, children=[child.pk])
    return network


def network_of_request(*, user: User, pk: int, only: NetworkFilter) -> Network:
    """The network recorded on one request the user may see."""
    with transaction.atomic():
        request = get_object_or_404(visible_requests(user), pk=pk)
        children = list(request.children.order_by("pk"))
        network = _network(
            children, only.apply(visible_network_links(user).filter(request=request))
        )
        network.request = request
        audit_record(
            user=user, action="view_network", obj=request, children=[c.pk for c in children]
        )
    return network


def network_of_discussion(*, user: User, pk: int, only: NetworkFilter) -> Network:
    """The network of a discussion: every link recorded on its request."""
    with transaction.atomic():
        discussion = get_object_or_404(visible_discussions(user).select_related("request"), pk=pk)
        children = list(discussion.request.children.order_by("pk"))
        network = _network(
            children,
            only.apply(visible_network_links(user).filter(request_id=discussion.request_id)),
        )
        network.request = discussion.request
        network.discussion = discussion
        audit_record(
            user=user, action="view_network", obj=discussion, children=[c.pk for c in children]
        )
    return network


def request_for_network(*, user: User, pk: int) -> tuple[StrategyRequest, list[Child]]:
    """A request the user may see, and its children (to record its network)."""
    with transaction.atomic():
        request = get_object_or_404(visible_requests(user), pk=pk)
        children = list(request.children.order_by("pk"))
        audit_record(user=user, action="view", obj=request, children=[c.pk for c in children])
    return request, children


def discussion_for_network(*, user: User, pk: int) -> tuple[Discussion, list[Child]]:
    """A discussion the user may see, and the children of its request (to record the
    request's network from the discussion's network page)."""
    with transaction.atomic():
        discussion = get_object_or_404(visible_discussions(user).select_related("request"), pk=pk)
        children = list(discussion.request.children.order_by("pk"))
        audit_record(user=user, action="view", obj=discussion, children=[c.pk for c in children])
    return discussion, children


def entities_of_authority(*, user: User, request: StrategyRequest) -> list[Entity]:
    """What is already in the authority's networks (to link again), for social care only:
    the entities of the links the user may see."""
    return list(
        Entity.objects.filter(
            pk__in=visible_network_links(user)
            .filter(local_authority_id=request.local_authority_id)
            .values("entity")
        ).order_by("kind", "name", "pk")
    )


@dataclass
class AlertDetail:
    alert: PatternAlert
    children: list[Child]
    requests: list[StrategyRequest]
    links: list[Link]
    may_handle: bool


def pattern_alerts(*, user: User) -> list[PatternAlert]:
    """The patterns across cases the user may see, newest first."""
    with transaction.atomic():
        alerts = list(visible_pattern_alerts(user).order_by("status", "-raised_at", "-pk"))
        if alerts:
            audit_record(
                user=user,
                action="view_list",
                object_type="network.PatternAlert",
                children=[pk for alert in alerts for pk in alert.evidence.get("children", [])],
            )
    return alerts


def pattern_alert_get(*, user: User, pk: int) -> AlertDetail:
    """One alert the user may see, with its evidence (404 otherwise); the read audited."""
    with transaction.atomic():
        alert = get_object_or_404(visible_pattern_alerts(user), pk=pk)
        evidence = alert.evidence
        links = list(
            Link.objects.filter(
                pk__in=evidence.get("links", []), local_authority_id=alert.local_authority_id
            )
            .select_related("child", "entity", "entity__used_by", "request")
            .order_by("since", "pk")
        )
        detail = AlertDetail(
            alert=alert,
            children=list(alert.children.order_by("pk")),
            requests=list(
                StrategyRequest.objects.filter(
                    pk__in=evidence.get("requests", []), local_authority_id=alert.local_authority_id
                )
                .prefetch_related("children")
                .order_by("pk")
            ),
            links=links,
            may_handle=may_handle_alert(user, alert),
        )
        audit_record(user=user, action="view", obj=alert, children=evidence.get("children", []))
    return detail


@dataclass(frozen=True)
class Groups:
    """The groups a child is in: the patterns across cases (for those who may see them)
    and the complex discussions that cover them."""

    alerts: list[PatternAlert]
    discussions: list[Discussion]


def groups_of_child(*, user: User, child: Child) -> Groups:
    """The groups a child the user has opened is in (the child's read is audited by the
    child's page)."""
    return Groups(
        alerts=list(visible_pattern_alerts(user).filter(children=child).order_by("-raised_at")),
        discussions=list(
            visible_discussions(user)
            .filter(request__children=child, request__discussion_type="complex")
            .select_related("request")
            .order_by("-scheduled_for")
        ),
    )


@dataclass(frozen=True)
class SettingDetail:
    """An authority's network setting as its page shows it, with what may be chosen."""

    authority: LocalAuthority
    setting: NetworkSetting | None
    people: list[User]
    teams: list[Team]
    authorities: list[LocalAuthority]
    # The authorities that name this one (sharing works only when both name each other).
    named_by: frozenset[int]

    @property
    def version(self) -> int:
        return self.setting.version if self.setting is not None else 1

    @property
    def shares_with(self) -> list[LocalAuthority]:
        return list(self.setting.shares_with.order_by("name")) if self.setting else []


def network_setting_get(*, user: User) -> SettingDetail:
    """The network setting of the user's authority, for those who may set it (404 for
    anyone else)."""
    if not may_set_network(user) or user.local_authority_id is None:
        raise Http404
    authority = LocalAuthority.objects.get(pk=user.local_authority_id)
    setting = (
        NetworkSetting.objects.filter(local_authority=authority)
        .select_related("exploitation_lead", "exploitation_team")
        .first()
    )
    social_care = User.objects.filter(
        agency__local_authority=authority,
        agency__kind="childrens_social_care",
        is_active=True,
    ).select_related("agency")
    return SettingDetail(
        authority=authority,
        setting=setting,
        people=[
            person
            for person in social_care.order_by("last_name", "first_name", "pk")
            if sees_whole_authority(person)
        ],
        teams=list(
            Team.objects.filter(
                agency__local_authority=authority, agency__kind="childrens_social_care"
            ).order_by("name", "pk")
        ),
        authorities=list(LocalAuthority.objects.exclude(pk=authority.pk).order_by("name")),
        named_by=frozenset(
            NetworkSetting.objects.filter(shares_with=authority).values_list(
                "local_authority_id", flat=True
            )
        ),
    )
