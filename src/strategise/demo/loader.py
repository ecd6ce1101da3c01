"""Demo data: an authority for each local procedure, its people, and a year of its work.

Everything is made through the real services, so each child, request, discussion, record,
set of minutes, clock, action and disagreement has its triage, invitations, audit events
and notifications just as if a person had made it, at the moment it happened (the year is
played in order on a timeline, ``demo/timeline.py``, with the time set back); as for a
person, each service commits on its own. Nothing is loaded if any demo authority exists, so
loading twice changes nothing (a load that fails part-way leaves what it made: start
again from an empty database). Every demo account shares one published password: never
load this into an instance that holds real cases. ``docs/demo.md`` lists the sign-ins.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.hashers import make_password
from django.core.mail.backends.dummy import EmailBackend as DiscardingMailer
from django.db import connection, transaction
from django.test.utils import override_settings

from strategise.cases.models import Child
from strategise.demo.adults import demo_adults
from strategise.demo.cases import DemoCases
from strategise.demo.network import NETWORK_AUTHORITY, demo_network
from strategise.demo.people import AUTHORITIES, DEMO_PASSWORD, authority_create
from strategise.demo.timeline import Timeline, worker_round
from strategise.demo.year import DemoYear
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
    # The demo's invitees and people are made up: whatever the mail settings, send them
    # nothing. The services given a mailer use this one; minutes and notifications, which
    # go by the default mailer and the task queue, go (at once) to one that sends nothing.
    # The tasks run at once, each one logged: quiet while the demo loads.
    tasks_log = logging.getLogger("django.tasks")
    level = tasks_log.level
    tasks_log.setLevel(logging.WARNING)
    # With DEBUG on, Django keeps every query for the debug page and, on SQLite, quotes each
    # one's parameters with a query of its own: the load's tens of thousands of queries are
    # read by nobody, so while it runs they are not kept.
    try:
        with (
            override_settings(MAILERS=_DISCARDING, TASKS=_AT_ONCE, DEBUG=False),
            _sqlite_for_loading(),
        ):
            authorities = _load(now=now)
    finally:
        tasks_log.setLevel(level)
    return DemoLoaded(
        authorities=authorities,
        users=User.objects.filter(agency__local_authority__in=authorities).count(),
        children=Child.objects.filter(local_authority__in=authorities).count(),
        requests=StrategyRequest.objects.filter(local_authority__in=authorities).count(),
        discussions=Discussion.objects.filter(local_authority__in=authorities).count(),
    )


@contextmanager
def _sqlite_for_loading() -> Iterator[None]:
    """On SQLite, while the demo loads, commit without waiting for the disk: the journal
    in memory and no syncing (about 3,500 commits). Safe for the demo only: a load that
    stops part-way is started again from an empty database anyway. The journal goes back
    to the settings' write-ahead log, and syncing to theirs, as the load ends. Where another
    connection has the database open, the journal stays as it is (SQLite keeps it); inside
    a transaction (the tests'), nothing changes."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        journal = str(cursor.fetchone()[0]).upper()
        cursor.execute("PRAGMA synchronous")
        synchronous = cursor.fetchone()[0]
        cursor.execute("PRAGMA journal_mode=MEMORY")
        cursor.execute("PRAGMA synchronous=OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if journal in _JOURNALS:
                cursor.execute(f"PRAGMA journal_mode={journal}")
            cursor.execute(f"PRAGMA synchronous={int(synchronous)}")


_JOURNALS = frozenset({"DELETE", "TRUNCATE", "PERSIST", "MEMORY", "WAL", "OFF"})
_DISCARDING = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
_AT_ONCE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def _load(*, now: datetime) -> list[LocalAuthority]:
    mailer = DiscardingMailer()
    # Argon2 is slow by design; the accounts share one published password, so one hash.
    password = make_password(DEMO_PASSWORD)
    authorities = []
    timeline = Timeline(now=now)
    made = []
    for index, spec in enumerate(AUTHORITIES):
        with transaction.atomic(durable=True):
            authority, people = authority_create(spec, index, password=password)
        year = DemoYear(
            spec=spec,
            authority=authority,
            people=people,
            now=now,
            mailer=mailer,
            timeline=timeline,
            index=index,
        )
        year.schedule()
        made.append((spec, authority, people))
        authorities.append(authority)
    # The year, in order, across every authority; then what is happening today.
    timeline.run()
    for spec, authority, people in made:
        DemoCases(spec=spec, authority=authority, people=people, now=now, mailer=mailer).load()
        demo_adults(authority=authority, now=now)
        if spec.profile == NETWORK_AUTHORITY:
            demo_network(authority=authority, people=people, now=now)
    worker_round(now)
    return authorities
