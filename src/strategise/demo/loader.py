"""Demo data: an authority for each local procedure, its people, children and requests.

Children, requests and discussions are made through the real services, so each has its
triage, invitations and audit events just as if a person had made it; as for a person,
each service commits on its own. Nothing is loaded if any demo authority exists, so
loading twice changes nothing (a load that fails part-way leaves what it made: start
again from an empty database). Every demo account shares one published password: never
load this into an instance that holds real cases. ``docs/demo.md`` lists the sign-ins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.core.mail.backends.dummy import EmailBackend as DiscardingMailer
from django.db import transaction

from strategise.cases.models import Child
from strategise.demo.adults import demo_adults
from strategise.demo.cases import DemoCases
from strategise.demo.people import AUTHORITIES, DEMO_PASSWORD, authority_create
from strategise.discussions.models import Discussion
from strategise.organisations.models import LocalAuthority, User
from strategise.requests.models import StrategyRequest


@dataclass(frozen=True)
class DemoLoaded:
    """What a load made."""

    authorities: list[LocalAuthority]
    users: int
    children: int
    requests: int
    discussions: int


def demo_loaded() -> bool:
    """Whether the demo data is already in the database (any demo authority exists)."""
    return LocalAuthority.objects.filter(slug__in=[a.slug for a in AUTHORITIES]).exists()


def demo_load(*, now: datetime) -> DemoLoaded | None:
    """Load the demo data, with times relative to ``now``; None if it is already loaded."""
    if demo_loaded():
        return None
    # The demo's invitees are made up: whatever the mail settings, send them nothing.
    mailer = DiscardingMailer()
    # Argon2 is slow by design; the accounts share one published password, so one hash.
    password = make_password(DEMO_PASSWORD)
    authorities = []
    for index, spec in enumerate(AUTHORITIES):
        with transaction.atomic(durable=True):
            authority, people = authority_create(spec, index, password=password)
        DemoCases(spec=spec, authority=authority, people=people, now=now, mailer=mailer).load()
        demo_adults(authority=authority, now=now)
        authorities.append(authority)
    return DemoLoaded(
        authorities=authorities,
        users=User.objects.filter(agency__local_authority__in=authorities).count(),
        children=Child.objects.filter(local_authority__in=authorities).count(),
        requests=StrategyRequest.objects.filter(local_authority__in=authorities).count(),
        discussions=Discussion.objects.filter(local_authority__in=authorities).count(),
    )
