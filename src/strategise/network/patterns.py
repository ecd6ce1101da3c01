"""Patterns across cases: reading the facts ``policy.network`` matches, and raising (once)
the alerts it finds to the authority's exploitation lead and the team manager.

Called inside the transaction that recorded a link (or a request naming an alleged
perpetrator in a position of trust), so an alert is raised with the change or not at all.
Only one authority's records are ever read together: patterns never cross authorities.
"""

from __future__ import annotations

from datetime import datetime

from strategise.audit.services import audit_record
from strategise.cases.models import Adult, Child
from strategise.links import Target, TargetKind
from strategise.network.models import AlertStatus, Entity, Link, NetworkSetting, PatternAlert
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


def link_facts(authority_id: int, key: str) -> list[rules.LinkFact]:
    """Every link of the authority with ``key``: one index scan (``link_key``)."""
    rows = Link.objects.filter(local_authority_id=authority_id, match_key=key).values_list(
        "pk", "child_id", "request_id", "entity_id", "entity__sureness", "since"
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


def trust_facts(authority_id: int) -> list[rules.LinkFact]:
    """Every alleged perpetrator in a position of trust named in a request of the
    authority, matched by the adult's record (or the name given)."""
    rows = AllegedPerpetrator.objects.filter(
        request__local_authority_id=authority_id, position_of_trust=True
    ).select_related("adult")
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


def _label(pattern: rules.Pattern) -> str:
    entity = Entity.objects.filter(pk__in=pattern.entities).first()
    if pattern.kind == rules.TRUST:
        adult = Adult.objects.filter(pk__in=pattern.entities).first()
        who = adult.full_name if adult else pattern.key.split(":", 1)[-1].split("|")[0]
        return f"{who}, in a position of trust, is named in {len(pattern.requests)} requests"
    what = entity.label if entity else pattern.key
    return f"{what} is linked to {len(pattern.children)} children"


def _recipients(authority_id: int, by: User, children: list[Child]) -> list[User]:
    people: list[User] = []
    setting = NetworkSetting.objects.filter(local_authority_id=authority_id).first()
    if setting and setting.exploitation_lead is not None:
        people.append(setting.exploitation_lead)
    teams = [by.team] if by.team_id else []
    teams += [child.allocated_team for child in children if child.allocated_team_id]
    for team in teams:
        if team is not None and team.manager is not None and team.manager not in people:
            people.append(team.manager)
    return people


def _raise(pattern: rules.Pattern, *, by: User, now: datetime) -> PatternAlert | None:
    alert, created = PatternAlert.objects.select_for_update().get_or_create(
        local_authority_id=pattern.authority,
        kind=pattern.kind,
        match_key=pattern.key,
        defaults={"raised_at": now, "updated_at": now, "sureness": pattern.sureness},
    )
    if alert.status == AlertStatus.DISMISSED:
        return None
    evidence = {
        "children": list(pattern.children),
        "requests": list(pattern.requests),
        "links": list(pattern.links),
        "entities": list(pattern.entities),
        "since": pattern.since.isoformat() if pattern.since else None,
        "source": pattern.source,
    }
    if not created and alert.evidence == evidence:
        return alert
    alert.label = _label(pattern)[:300]
    alert.sureness = pattern.sureness
    alert.since = pattern.since
    alert.updated_at = now
    alert.evidence = evidence
    if not created:
        alert.version += 1
    alert.save()
    children = list(Child.objects.filter(pk__in=pattern.children))
    alert.children.set(children)
    audit_record(
        user=by,
        action="pattern_raise" if created else "pattern_update",
        obj=alert,
        children=pattern.children,
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


def _ties(authority_id: int, person_key: str) -> frozenset[str]:
    """The keys of what the people with ``person_key`` use (their car, their account)."""
    return frozenset(
        Entity.objects.filter(
            local_authority_id=authority_id, used_by__match_key=person_key
        ).values_list("match_key", flat=True)
    )


def patterns_check_key(
    *, authority_id: int, key: str, by: User, now: datetime
) -> list[PatternAlert]:
    """Check one match key of the authority (after a new link to it) and the people whose
    it is, and raise what they show: a handful of index scans, whatever the authority's
    size."""
    owners = set(
        Entity.objects.filter(local_authority_id=authority_id, match_key=key)
        .exclude(used_by=None)
        .values_list("used_by__match_key", flat=True)
    )
    dismissed = _dismissed(authority_id)
    raised = []
    for checked in sorted({key} | owners):
        ties = _ties(authority_id, checked)
        facts = link_facts(authority_id, checked)
        for tied in sorted(ties):
            facts += link_facts(authority_id, tied)
        for pattern in rules.shared_patterns(facts, dismissed, {checked: ties}):
            if pattern.key == checked and (alert := _raise(pattern, by=by, now=now)):
                raised.append(alert)
    return raised


def patterns_check_trust(*, authority_id: int, by: User, now: datetime) -> list[PatternAlert]:
    """Check the authority's alleged perpetrators in a position of trust."""
    found = rules.trust_patterns(trust_facts(authority_id), _dismissed(authority_id))
    return [alert for pattern in found if (alert := _raise(pattern, by=by, now=now))]
