"""The demo's network around children: in one authority, an adult, a car and a park that
three children's requests about exploitation have in common (contextual safeguarding),
recorded through the network services by the social worker, so that the authority's
exploitation lead finds a pattern alert waiting. Every name and registration is made up.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from django.utils import timezone

from strategise.network.models import PatternAlert
from strategise.network.services import (
    EntityValues,
    LinkValues,
    network_link_add,
    network_setting_now,
    network_setting_set,
)
from strategise.organisations.models import LocalAuthority, Role, User
from strategise.requests.models import StrategyRequest

#: The demo authority whose requests share a network (``DemoAuthority.profile``).
NETWORK_AUTHORITY = "sandwell"
#: Who is alerted to patterns across its cases, with the team manager.
EXPLOITATION_LEAD = Role.PRINCIPAL_OFFICER
CONCERN = "child_sexual_exploitation"
GROUP = 3  # the children linked: as many as make a pattern (policy.network)


def _group(*, today: date) -> list[tuple[EntityValues, str, str]]:
    """What each child is linked to: (what, how, how sure)."""
    return [
        (
            EntityValues(
                kind="person",
                name="Jason 'Jay' Reilly",
                date_of_birth=today - timedelta(days=round(27 * 365.25)),
            ),
            "seen_with",
            "reported",
        ),
        (
            EntityValues(
                kind="vehicle", registration="DX19 KFR", description="Silver Vauxhall Corsa"
            ),
            "driven_in",
            "confirmed",
        ),
        (
            EntityValues(kind="place", name="Dartmouth Park", place_kind="park", safety="risk"),
            "goes_to",
            "suspected",
        ),
    ]


def demo_network(*, authority: LocalAuthority, people: dict[str, User], now: datetime) -> int:
    """Name the exploitation lead and link the group to the first children of the
    authority's exploitation requests; how many pattern alerts it raised."""
    values, version = network_setting_now(authority=authority)
    network_setting_set(
        user=None,
        authority=authority,
        values=replace(values, lead=people[EXPLOITATION_LEAD]),
        version=version,
    )
    requests = [
        request
        for request in StrategyRequest.objects.filter(local_authority=authority).order_by("pk")
        if CONCERN in request.concerns
    ][:GROUP]
    worker = people[Role.SOCIAL_WORKER]
    today = timezone.localdate(now)
    for weeks, request in enumerate(requests):
        child = request.children.order_by("pk").first()
        for entity, kind, confidence in _group(today=today):
            network_link_add(
                user=worker,
                request=request,
                entity=entity,
                link=LinkValues(
                    child=child,
                    kind=kind,
                    since=today - timedelta(weeks=2 + 3 * weeks),
                    until=None,
                    agency="Police missing person coordinator",
                    confidence=confidence,
                ),
                now=now,
            )
    return PatternAlert.objects.filter(local_authority=authority).count()
