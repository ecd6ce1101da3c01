"""Writing the network: what is around a child on a request (an entity and its link to
the child), dismissing an alert as a false match, and raising a complex request from an
alert. Each write is one transaction with its audit event; creates are idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction

from strategise.access import (
    may_handle_alert,
    may_record_network,
    may_set_network,
    sees_whole_authority,
    visible_adults,
    visible_children,
)
from strategise.audit.idempotency import form_claim, form_keep, form_replayed
from strategise.audit.services import audit_record
from strategise.cases.models import Adult, Child
from strategise.network.models import (
    CONFIDENCE,
    LINK_KIND_NAMES,
    PLACE_KINDS,
    PLATFORMS,
    SAFETY,
    AlertStatus,
    Entity,
    EntityKind,
    Link,
    NetworkSetting,
    PatternAlert,
)
from strategise.network.patterns import adult_details, patterns_check_key, patterns_check_trust
from strategise.organisations.models import LocalAuthority, Team, User
from strategise.policy import network as rules
from strategise.problems import Problem
from strategise.requests.models import StrategyRequest
from strategise.requests.services import Perpetrator, request_create

Errors = list[tuple[str | None, str]]


@dataclass(frozen=True)
class EntityValues:
    """What was typed about the person, place, vehicle or account (one of them), or which
    one already recorded (``existing``), or which adult or child it is."""

    kind: str
    existing: Entity | None = None
    adult: Adult | None = None
    peer: Child | None = None
    name: str = ""
    date_of_birth: date | None = None
    address: str = ""
    place_kind: str = ""
    safety: str = ""
    registration: str = ""
    description: str = ""
    platform: str = ""
    handle: str = ""
    used_by: Adult | None = None
    # A person who is a child or young person (a peer) not recorded as a child here.
    young_person: bool = False


@dataclass(frozen=True)
class LinkValues:
    child: Child | None
    kind: str
    since: date | None
    until: date | None
    agency: str
    confidence: str
    note: str = ""


def _entity_errors(values: EntityValues) -> Errors:
    if values.existing is not None or values.adult is not None or values.peer is not None:
        return []
    errors: Errors = []
    kind = values.kind
    if kind not in EntityKind.values:
        return [("kind", "Select whether it is a person, place, vehicle or online account")]
    if kind == EntityKind.PERSON and not values.name.strip():
        errors.append(("name", "Enter the person's name, or the name they are known by"))
    if kind == EntityKind.PLACE:
        if not (values.name.strip() or values.address.strip()):
            errors.append(("name", "Enter the place's name or address"))
        if values.place_kind not in dict(PLACE_KINDS):
            errors.append(("place_kind", "Select what kind of place it is"))
        if values.safety not in dict(SAFETY):
            errors.append(("safety", "Select whether it is a place of risk or a safe space"))
    if kind == EntityKind.VEHICLE and not rules.registration_normalised(values.registration):
        errors.append(("registration", "Enter the vehicle's registration, for example AB12 CDE"))
    if kind == EntityKind.ACCOUNT:
        if values.platform not in dict(PLATFORMS):
            errors.append(("platform", "Select the platform or app"))
        if not rules.handle_normalised(values.handle):
            errors.append(("handle", "Enter the account's handle or username"))
    return errors


def _link_errors(values: LinkValues, request: StrategyRequest) -> Errors:
    errors: Errors = []
    if values.child is None or not request.children.filter(pk=values.child.pk).exists():
        errors.append(("child", "Select a child this request is about"))
    if values.kind not in LINK_KIND_NAMES:
        errors.append(("link_kind", "Select how they are linked to the child"))
    if not values.agency.strip():
        errors.append(("agency", "Enter which agency said so"))
    if values.confidence not in dict(CONFIDENCE):
        errors.append(("confidence", "Select how sure the agency is"))
    if values.since and values.until and values.until < values.since:
        errors.append(("until", "The date the link ended must be on or after the date it began"))
    return errors


def _details(values: EntityValues) -> rules.Details:
    if values.adult is not None:
        return adult_details(values.adult)
    if values.peer is not None:
        peer = values.peer
        return rules.Details(
            kind=rules.PERSON,
            record=f"child:{peer.pk}",
            name=peer.full_name,
            date_of_birth=peer.date_of_birth,
            address=peer.address,
        )
    return rules.Details(
        kind=values.kind,
        name=values.name,
        date_of_birth=values.date_of_birth,
        address=values.address,
        registration=values.registration,
        platform=values.platform,
        handle=values.handle,
    )


def _entity(*, user: User, request: StrategyRequest, values: EntityValues, now: datetime) -> Entity:
    """The entity the link is to (see ``_found_or_new``), tied to the adult whose it is."""
    entity = _found_or_new(user=user, request=request, values=values, now=now)
    if values.used_by is not None and entity.kind != EntityKind.PERSON:
        owner = _found_or_new(
            user=user,
            request=request,
            values=EntityValues(kind="person", adult=values.used_by),
            now=now,
        )
        if entity.used_by_id != owner.pk:
            entity.used_by = owner
            entity.version += 1
            entity.save(update_fields=["used_by", "version"])
            audit_record(user=user, action="update", obj=entity, detail={"used_by": owner.pk})
    return entity


def _found_or_new(
    *, user: User, request: StrategyRequest, values: EntityValues, now: datetime
) -> Entity:
    """The one chosen; the one of the adult or child chosen; the one recorded with the
    same registration or account; or a new one."""
    if values.existing is not None:
        return values.existing
    key = rules.match_key(_details(values))
    same = Entity.objects.filter(local_authority_id=request.local_authority_id)
    if values.adult is not None:
        found = same.filter(adult=values.adult).first()
    elif values.peer is not None:
        found = same.filter(child=values.peer).first()
    elif key.sureness == rules.CERTAIN:
        found = same.filter(match_key=key.value).first()
    else:
        found = None
    if found is not None:
        return found
    person = values.adult or values.peer
    entity = Entity.objects.create(
        local_authority_id=request.local_authority_id,
        kind=EntityKind.PERSON if person is not None else values.kind,
        adult=values.adult,
        child=values.peer,
        name=person.full_name if person is not None else values.name.strip(),
        young_person=values.kind == EntityKind.PERSON and values.young_person,
        address=person.address if person is not None else values.address.strip(),
        place_kind=values.place_kind if values.kind == EntityKind.PLACE else "",
        safety=values.safety if values.kind == EntityKind.PLACE else "",
        registration=values.registration.strip().upper(),
        description=values.description.strip(),
        platform=values.platform if values.kind == EntityKind.ACCOUNT else "",
        handle=values.handle.strip(),
        match_key=key.value,
        sureness=key.sureness,
        created_by=user,
        created_at=now,
    )
    audit_record(user=user, action="create", obj=entity, detail={"kind": entity.kind})
    return entity


def network_link_problems(
    *, user: User, request: StrategyRequest, entity: EntityValues, link: LinkValues
) -> Errors:
    """Everything wrong with what was typed (so a form can show it all at once)."""
    errors = _entity_errors(entity) + _link_errors(link, request)
    if (
        entity.existing is not None
        and entity.existing.local_authority_id != request.local_authority_id
    ):
        errors.append(("existing", "Choose something recorded in this authority"))
    if (
        entity.used_by is not None
        and not visible_adults(user).filter(pk=entity.used_by.pk).exists()
    ):
        errors.append(("used_by", "Choose an adult recorded in this authority"))
    if entity.adult is not None and not visible_adults(user).filter(pk=entity.adult.pk).exists():
        errors.append(("adult", "Choose an adult recorded in this authority"))
    if entity.peer is not None and not visible_children(user).filter(pk=entity.peer.pk).exists():
        errors.append(("peer", "Choose a child recorded in this authority"))
    if entity.peer is not None and link.child is not None and entity.peer.pk == link.child.pk:
        errors.append(("peer", "Choose a peer other than the child themselves"))
    if entity.adult is not None and entity.peer is not None:
        errors.append(("peer", "Choose an adult or a child, not both"))
    return errors


def network_link_add(
    *,
    user: User,
    request: StrategyRequest,
    entity: EntityValues,
    link: LinkValues,
    now: datetime,
    token: str = "",
    discussion_id: int | None = None,
) -> Link:
    """Record a person, place, vehicle or online account around a child of ``request``
    (or link one already recorded), then check the authority for patterns across cases.
    A repeated post of the same form (``token``) answers with the link it recorded."""
    first = form_replayed(user=user, token=token, model=Link)
    if first is not None:
        return first
    if not may_record_network(user, request):
        raise Problem("Only children's social care of this authority can record the network")
    errors = network_link_problems(user=user, request=request, entity=entity, link=link)
    if errors:
        raise Problem.many(errors)
    with transaction.atomic(durable=True):
        first = form_claim(user=user, token=token, model=Link)
        if first is not None:
            return first
        target = _entity(user=user, request=request, values=entity, now=now)
        child = link.child
        if child is None:  # checked above: every link is to a child of the request
            raise Problem("Select a child this request is about", "child")
        recorded = Link.objects.create(
            local_authority_id=request.local_authority_id,
            request=request,
            discussion_id=discussion_id,
            child=child,
            entity=target,
            kind=link.kind,
            since=link.since,
            until=link.until,
            agency=link.agency.strip(),
            confidence=link.confidence,
            note=link.note.strip(),
            match_key=target.match_key,
            created_by=user,
            created_at=now,
        )
        form_keep(user=user, token=token, obj=recorded)
        audit_record(
            user=user,
            action="create",
            obj=recorded,
            children=[child.pk],
            detail={"entity": target.pk, "kind": link.kind, "request": request.pk},
        )
        patterns_check_key(
            authority_id=request.local_authority_id, key=target.match_key, by=user, now=now
        )
        if link.kind == "alleged_perpetrator":
            patterns_check_trust(authority_id=request.local_authority_id, by=user, now=now)
    return recorded


def pattern_alert_dismiss(
    *, user: User, alert: PatternAlert, reason: str, version: int, now: datetime
) -> PatternAlert:
    """Dismiss an alert as a false match, with the reason: it is remembered, and the same
    match is never raised again."""
    if not may_handle_alert(user, alert):
        raise Problem("Only the exploitation lead or a manager can dismiss this alert")
    errors: Errors = []
    if not reason.strip():
        errors.append(("reason", "Enter why this is not the same person, place or account"))
    if errors:
        raise Problem.many(errors)
    with transaction.atomic(durable=True):
        locked = PatternAlert.objects.select_for_update().get(pk=alert.pk)
        if locked.version != version:
            raise Problem("Someone else changed this alert meanwhile: open it again", "reason")
        if locked.status != AlertStatus.OPEN:
            raise Problem("This alert has already been dealt with", "reason")
        locked.status = AlertStatus.DISMISSED
        locked.dismissed_reason = reason.strip()
        locked.closed_by = user
        locked.closed_at = now
        locked.version += 1
        locked.save()
        audit_record(
            user=user,
            action="pattern_dismiss",
            obj=locked,
            children=locked.evidence.get("children", []),
            detail={"reason": locked.dismissed_reason},
        )
    return locked


def pattern_request_facts(alert: PatternAlert) -> dict[str, Any]:
    """What a complex request raised from ``alert`` starts with: its children and a
    description of the evidence (the person raising it may change both)."""
    links = (
        Link.objects.filter(
            pk__in=alert.evidence.get("links", []), local_authority_id=alert.local_authority_id
        )
        .select_related("child", "entity")
        .order_by("since", "pk")
    )
    lines = [f"Pattern across cases: {alert.label}."]
    for link in links:
        since = f" since {link.since:%d %B %Y}" if link.since else ""
        lines.append(
            f"- {link.child.full_name}: {link.entity.label} ({link.get_kind_display().lower()})"
            f"{since}, as {link.agency} said ({_sureness_word(link)})"
            f", request {link.request_id}."
        )
    return {
        "children": [child.pk for child in alert.children.order_by("pk")],
        "narrative": "\n".join(lines),
        "concerns": ["organised_abuse"],
    }


def _sureness_word(link: Link) -> str:
    return link.get_confidence_display().split(" (")[0].lower()


def pattern_request_raise(
    *,
    user: User,
    alert: PatternAlert,
    children: list[Child],
    concerns: list[str],
    narrative: str,
    identified_at: datetime,
    now: datetime,
    token: str = "",
) -> StrategyRequest:
    """Raise a complex request from an alert (triaged as every request is) and record on
    the alert that it was raised."""
    if not may_handle_alert(user, alert):
        raise Problem("Only the exploitation lead or a manager can raise a request from this alert")
    request = request_create(
        user=user,
        identified_at=identified_at,
        children=children,
        concerns=concerns,
        flags=[],
        referrer="Pattern across cases",
        narrative=narrative,
        perpetrators=_perpetrators(alert),
        now=now,
        token=token,
    )
    with transaction.atomic(durable=True):
        locked = PatternAlert.objects.select_for_update().get(pk=alert.pk)
        if locked.complex_request_id is None:
            locked.complex_request = request
            locked.status = AlertStatus.RAISED
            locked.closed_by = user
            locked.closed_at = now
            locked.version += 1
            locked.save()
            audit_record(
                user=user,
                action="pattern_request",
                obj=locked,
                children=[child.pk for child in children],
                detail={"request": request.pk},
            )
    return request


def _perpetrators(alert: PatternAlert) -> list[Perpetrator]:
    """The adults of the alert's entities, as alleged perpetrators of the new request."""
    entities = [pk for pk in alert.evidence.get("entities", []) if pk > 0]
    if alert.kind == rules.TRUST:
        adults = Adult.objects.filter(pk__in=entities)
    else:
        adults = Adult.objects.filter(pk__in=Entity.objects.filter(pk__in=entities).values("adult"))
    return [
        Perpetrator(
            name=adult.full_name,
            position_of_trust=adult.works_with_children,
            role=adult.occupation,
            adult=adult,
        )
        for adult in adults
    ]


@dataclass(frozen=True)
class SettingValues:
    """An authority's network setting: its exploitation lead (a person, a team, both or
    neither) and the other authorities it shares patterns with (none by default)."""

    lead: User | None
    team: Team | None
    shares_with: tuple[LocalAuthority, ...] = ()


def network_setting_problems(*, authority: LocalAuthority, values: SettingValues) -> Errors:
    """What is wrong with the setting chosen for ``authority``, each naming its field. A
    lead is named in each message by name and username, so the settings page (which lists
    names) and the command (which takes a username) both say who."""
    errors: Errors = []
    lead = values.lead
    if lead is not None:
        problem = _lead_problem(lead, authority)
        if problem:
            errors.append(("lead", problem))
    team = values.team
    if team is not None and not (
        team.agency.local_authority_id == authority.pk
        and team.agency.kind == "childrens_social_care"
    ):
        errors.append(("team", f"Choose a team of {authority}’s children’s social care"))
    if any(other.pk == authority.pk for other in values.shares_with):
        errors.append(("shares_with", "Choose other authorities: yours always sees its own"))
    return errors


def _lead_problem(lead: User, authority: LocalAuthority) -> str:
    """Why ``lead`` cannot be the authority's exploitation lead ("" if they can)."""
    who = f"{lead} ({lead.username})" if str(lead) != lead.username else lead.username
    choose = f"Choose someone active in {authority}’s children’s social care"
    if not lead.is_active:
        return f"{choose}: {who}’s account is not active"
    if lead.local_authority_id != authority.pk:
        return f"{choose}: {who} does not work in {authority}"
    if not sees_whole_authority(lead):
        return f"{choose}: {who} is not in children’s social care"
    return ""


def network_setting_set(
    *,
    user: User | None,
    authority: LocalAuthority | None,
    values: SettingValues,
    version: int,
) -> NetworkSetting:
    """Name the authority's exploitation lead (a person or a team) and the authorities it
    shares patterns with; audited with what changed. The one way the setting changes:
    the settings page (``user``, of ``authority``, who may set it), and the command and
    the demo (``user`` None: an operator at the command line). ``version`` is the one
    read (``network_setting_now``): a change made meanwhile is not overwritten."""
    if user is not None and (
        not may_set_network(user) or authority is None or user.local_authority_id != authority.pk
    ):
        raise Problem("Only an administrator or a head of service of this authority can do this")
    if authority is None:
        raise Problem("Choose the local authority")
    errors = network_setting_problems(authority=authority, values=values)
    if errors:
        raise Problem.many(errors)
    with transaction.atomic(durable=True):
        setting, _ = NetworkSetting.objects.select_for_update().get_or_create(
            local_authority=authority
        )
        if setting.version != version:
            raise Problem("Someone else changed these settings meanwhile: look again", "lead")
        before = _setting_detail(setting)
        setting.exploitation_lead = values.lead
        setting.exploitation_team = values.team
        setting.version += 1
        setting.save()
        setting.shares_with.set(values.shares_with)
        audit_record(
            user=user,
            action="network_setting",
            obj=setting,
            authority=authority,
            detail={"before": before, "after": _setting_detail(setting)},
        )
    return setting


def network_setting_now(*, authority: LocalAuthority) -> tuple[SettingValues, int]:
    """The authority's setting as it stands, and its version: what the command and the
    demo change only the lead of (``dataclasses.replace``)."""
    setting = (
        NetworkSetting.objects.filter(local_authority=authority)
        .select_related("exploitation_lead", "exploitation_team")
        .first()
    )
    if setting is None:
        return SettingValues(lead=None, team=None), 1
    values = SettingValues(
        lead=setting.exploitation_lead,
        team=setting.exploitation_team,
        shares_with=tuple(setting.shares_with.order_by("pk")),
    )
    return values, setting.version


def _setting_detail(setting: NetworkSetting) -> dict[str, Any]:
    return {
        "lead": setting.exploitation_lead_id,
        "team": setting.exploitation_team_id,
        "shares_with": sorted(setting.shares_with.values_list("pk", flat=True))
        if setting.pk
        else [],
    }
