"""Patterns across cases: reading the facts ``policy.network`` matches, and raising (once)
the alerts it finds to the authority's exploitation lead and the team manager.

Called inside the transaction that recorded a link (or a request naming an alleged
perpetrator in a position of trust), so an alert is raised with the change or not at all.
Only one authority's records are read together, unless two authorities each name the
other in their network settings (a data-sharing agreement): then the pattern is matched
across both, and each authority's alert names only its own children, links and requests
(and counts the other's).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from strategise.audit.services import audit_record
from strategise.cases.models import Adult, Child
from strategise.links import Target, TargetKind
from strategise.network.models import (
    PROTECTIVE_LINKS,
    AlertStatus,
    Entity,
    Link,
    NetworkSetting,
    PatternAlert,
)
from strategise.notifications.models import Kind
from strategise.notifications.services import notify
from strategise.organisations.models import User
from strategise.policy import network as rules
from strategise.requests.models import AllegedPerpetrator


def _dismissed(authority_id: int) -> frozenset[tuple[int, str, str]]:
    return frozenset(
        (authority_id, kind, key)
        for kind, key in PatternAlert.objects.filter(
            local_authority_id=authority_id, status=AlertStatus.DISMISSED
        ).values_list("kind", "match_key")
    )


def sharing_partners(authority_id: int) -> list[int]:
    """The authorities that share patterns with this one both ways: each names the other
    in its network setting. None unless set."""
    named = set(
        NetworkSetting.objects.filter(local_authority_id=authority_id)
        .exclude(shares_with=None)
        .values_list("shares_with", flat=True)
    )
    if not named:
        return []
    return sorted(
        NetworkSetting.objects.filter(
            local_authority_id__in=named, shares_with=authority_id
        ).values_list("local_authority_id", flat=True)
    )


def link_facts(authority_id: int, key: str, pool: list[int] | None = None) -> list[rules.LinkFact]:
    """Every link with ``key`` of the authority (and of the authorities it shares with,
    ``pool``), seen from the authority: one index scan (``link_key``) per authority. A
    protective link (a safe space, a positive peer) is mapped, never a pattern."""
    rows = (
        Link.objects.filter(local_authority_id__in=pool or [authority_id], match_key=key)
        .exclude(kind__in=PROTECTIVE_LINKS)
        .values_list("pk", "child_id", "request_id", "entity_id", "entity__sureness", "since")
    )
    return [
        rules.LinkFact(
            link=pk,
            authority=authority_id,
            child=child,
            request=request,
            key=key,
            sureness=sureness,
            entity=entity,
            since=since,
        )
        for pk, child, request, entity, sureness, since in rows
    ]


def adult_details(adult: Adult) -> rules.Details:
    return rules.Details(
        kind=rules.PERSON,
        record=f"adult:{adult.pk}",
        name=adult.full_name,
        date_of_birth=adult.date_of_birth,
        address=adult.address,
    )


def trust_facts(authority_id: int, pool: list[int] | None = None) -> list[rules.LinkFact]:
    """Every alleged perpetrator in a position of trust named in a request of the
    authority (and of those it shares with, ``pool``), matched by the adult's record (or
    the name given)."""
    rows = AllegedPerpetrator.objects.filter(
        request__local_authority_id__in=pool or [authority_id], position_of_trust=True
    ).select_related("adult", "request")
    facts = []
    for row in rows:
        details = (
            adult_details(row.adult)
            if row.adult is not None
            else rules.Details(kind=rules.PERSON, name=row.name)
        )
        key = rules.match_key(details)
        for child_id in row.request.children.values_list("pk", flat=True):
            facts.append(
                rules.LinkFact(
                    link=row.pk,
                    authority=authority_id,
                    child=child_id,
                    request=row.request_id,
                    key=key.value,
                    sureness=key.sureness,
                    entity=row.adult_id or -row.pk,
                    since=row.request.identified_at.date(),
                )
            )
    return facts


def _label(pattern: rules.Pattern, entities: list[int]) -> str:
    """What the alert is about, named from its own authority's records."""
    own = Entity.objects.filter(pk__in=entities)
    entity = own.filter(match_key=pattern.key).first() or own.first()
    if pattern.kind == rules.TRUST:
        adult = Adult.objects.filter(pk__in=entities).first()
        who = adult.full_name if adult else pattern.key.split(":", 1)[-1].split("|")[0]
        return f"{who}, in a position of trust, is named in {len(pattern.requests)} requests"
    what = entity.label if entity else pattern.key
    return f"{what} is linked to {len(pattern.children)} children"


def _recipients(authority_id: int, by: User, children: list[Child]) -> list[User]:
    """The exploitation lead (or everyone active in the exploitation team) and the team
    managers of the recorder (when of this authority) and of the children's teams."""
    people: list[User] = []
    setting = NetworkSetting.objects.filter(local_authority_id=authority_id).first()
    if setting and setting.exploitation_lead is not None:
        people.append(setting.exploitation_lead)
    if setting and setting.exploitation_team_id is not None:
        people += (
            User.objects.filter(team_id=setting.exploitation_team_id, is_active=True)
            .exclude(pk__in=[person.pk for person in people])
            .order_by("pk")
        )
    teams = [by.team] if by.team_id and by.local_authority_id == authority_id else []
    teams += [child.allocated_team for child in children if child.allocated_team_id]
    for team in teams:
        if team is not None and team.manager is not None and team.manager not in people:
            people.append(team.manager)
    return people


def _elsewhere(pattern: rules.Pattern, own: set[int]) -> list[dict[str, object]]:
    """How many of the pattern's children and requests are in each authority sharing
    patterns with this one (counted, never named)."""
    others = (
        Child.objects.filter(pk__in=pattern.children)
        .exclude(pk__in=own)
        .values_list("local_authority_id", "local_authority__name")
    )
    counts: dict[tuple[int, str], int] = {}
    for row in others:
        counts[row] = counts.get(row, 0) + 1
    return [
        {"authority": pk, "name": name, "children": count}
        for (pk, name), count in sorted(counts.items())
    ]


def _evidence(pattern: rules.Pattern) -> dict[str, Any]:
    """The alert's evidence: its own authority's children, requests and links (a shared
    pattern's others only counted, by authority)."""
    own = set(
        Child.objects.filter(
            pk__in=pattern.children, local_authority_id=pattern.authority
        ).values_list("pk", flat=True)
    )
    if pattern.kind == rules.TRUST:
        # A trust pattern's facts are the requests' alleged perpetrators, not links.
        named = AllegedPerpetrator.objects.filter(
            pk__in=pattern.links, request__local_authority_id=pattern.authority
        )
        perpetrators = sorted(named.values_list("pk", flat=True))
        links: list[int] = []
        requests = sorted(set(named.values_list("request_id", flat=True)))
        adults = set(
            Adult.objects.filter(
                pk__in=pattern.entities, local_authority_id=pattern.authority
            ).values_list("pk", flat=True)
        )
        entities = [pk for pk in pattern.entities if pk in adults or pk < 0]
    else:
        mine = Link.objects.filter(pk__in=pattern.links, local_authority_id=pattern.authority)
        perpetrators = []
        links = sorted(mine.values_list("pk", flat=True))
        requests = sorted(set(mine.values_list("request_id", flat=True)))
        entities = sorted(
            Entity.objects.filter(
                pk__in=pattern.entities, local_authority_id=pattern.authority
            ).values_list("pk", flat=True)
        )
    return {
        "children": sorted(own),
        "requests": requests,
        "links": links,
        "entities": entities,
        "perpetrators": perpetrators,
        "since": pattern.since.isoformat() if pattern.since else None,
        "source": pattern.source,
        "elsewhere": _elsewhere(pattern, own),
    }


def _raise(pattern: rules.Pattern, *, by: User, now: datetime) -> PatternAlert | None:
    evidence = _evidence(pattern)
    if not evidence["children"]:
        # Shared patterns seen from an authority with none of the children: nothing of its own.
        return None
    alert, created = PatternAlert.objects.select_for_update().get_or_create(
        local_authority_id=pattern.authority,
        kind=pattern.kind,
        match_key=pattern.key,
        defaults={"raised_at": now, "updated_at": now, "sureness": pattern.sureness},
    )
    if alert.status == AlertStatus.DISMISSED:
        return None
    if not created and alert.evidence == evidence:
        return alert
    alert.label = _label(pattern, evidence["entities"])[:300]
    alert.sureness = pattern.sureness
    alert.since = pattern.since
    alert.updated_at = now
    alert.evidence = evidence
    if not created:
        alert.version += 1
    alert.save()
    children = list(Child.objects.filter(pk__in=evidence["children"]))
    alert.children.set(children)
    audit_record(
        user=by,
        action="pattern_raise" if created else "pattern_update",
        obj=alert,
        children=[child.pk for child in children],
        detail={"kind": pattern.kind, "sureness": pattern.sureness},
    )
    for person in _recipients(pattern.authority, by, children):
        # Emailed, so it names no child, person, place or account: only the alert.
        notify(
            user=person,
            kind=Kind.PATTERN,
            text=(
                f"Pattern across cases {alert.pk}: a person, place, vehicle or online account "
                f"is linked to {len(pattern.children)} children in "
                f"{len(pattern.requests)} requests. Open the alert to see the evidence."
            ),
            target=Target(TargetKind.PATTERN_ALERT, alert.pk),
            dedupe_key=f"pattern:{alert.pk}:user:{person.pk}",
            now=now,
        )
    return alert


def _ties(pool: list[int], person_key: str) -> frozenset[str]:
    """The keys of what the people with ``person_key`` use (their car, their account)."""
    return frozenset(
        Entity.objects.filter(
            local_authority_id__in=pool, used_by__match_key=person_key
        ).values_list("match_key", flat=True)
    )


def _check_key(authority_id: int, key: str, by: User, now: datetime) -> list[PatternAlert]:
    pool = [authority_id, *sharing_partners(authority_id)]
    owners = set(
        Entity.objects.filter(local_authority_id__in=pool, match_key=key)
        .exclude(used_by=None)
        .values_list("used_by__match_key", flat=True)
    )
    dismissed = _dismissed(authority_id)
    raised = []
    for checked in sorted({key} | owners):
        ties = _ties(pool, checked)
        facts = link_facts(authority_id, checked, pool)
        for tied in sorted(ties):
            facts += link_facts(authority_id, tied, pool)
        for pattern in rules.shared_patterns(facts, dismissed, {checked: ties}):
            if pattern.key == checked and (alert := _raise(pattern, by=by, now=now)):
                raised.append(alert)
    return raised


def patterns_check_key(
    *, authority_id: int, key: str, by: User, now: datetime
) -> list[PatternAlert]:
    """Check one match key of the authority (after a new link to it) and the people whose
    it is, and raise what they show: a handful of index scans, whatever the authority's
    size. An authority sharing patterns with this one is checked from its side too."""
    raised = _check_key(authority_id, key, by, now)
    for partner in sharing_partners(authority_id):
        raised += _check_key(partner, key, by, now)
    return raised


def _check_trust(authority_id: int, by: User, now: datetime) -> list[PatternAlert]:
    pool = [authority_id, *sharing_partners(authority_id)]
    found = rules.trust_patterns(trust_facts(authority_id, pool), _dismissed(authority_id))
    return [alert for pattern in found if (alert := _raise(pattern, by=by, now=now))]


def patterns_check_trust(*, authority_id: int, by: User, now: datetime) -> list[PatternAlert]:
    """Check the authority's alleged perpetrators in a position of trust (and, from
    their side, those of the authorities it shares patterns with)."""
    raised = _check_trust(authority_id, by, now)
    for partner in sharing_partners(authority_id):
        raised += _check_trust(partner, by, now)
    return raised
