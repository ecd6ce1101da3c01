"""Notifications stored with a link before targets existed point at the same page after
the migration, and back again if it is reversed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from strategise.links import Target, TargetKind
from strategise.notifications.models import Notification
from strategise.organisations.models import User
from tests.notifications.support import link

BEFORE = [("notifications", "0001_initial")]
AFTER = [("notifications", "0003_notification_email_claimed_at")]
AT = datetime(2026, 3, 9, 9, 0, tzinfo=UTC)

# Every link the services wrote, and what it now points at.
STORED = {
    "/discussions/12/clocks/": Target(TargetKind.DISCUSSION_CLOCKS, 12),
    "/discussions/12/": Target(TargetKind.DISCUSSION, 12),
    "/requests/7/": Target(TargetKind.REQUEST, 7),
    "/disagreements/3/": Target(TargetKind.DISAGREEMENT, 3),
    "/my-work/": Target(TargetKind.MY_WORK),
}


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


@pytest.fixture
def before_targets(transactional_db: None) -> Iterator[MigrationExecutor]:
    """The database as it was before notifications had targets; put back afterwards."""
    executor = _migrate(BEFORE)
    try:
        yield executor
    finally:
        _migrate(executor.loader.graph.leaf_nodes())


def _store(executor: MigrationExecutor, user: User, links: list[str]) -> None:
    old = executor.loader.project_state(BEFORE).apps.get_model("notifications", "Notification")
    for number, stored in enumerate(links):
        old.objects.create(
            user_id=user.pk,
            kind="reminder",
            text="A reminder",
            link=stored,
            created_at=AT,
            dedupe_key=f"test:{number}",
        )


def test_each_stored_link_becomes_what_it_pointed_at(
    before_targets: MigrationExecutor, social_worker: User
) -> None:
    _store(before_targets, social_worker, [*STORED, ""])

    _migrate(AFTER)

    found = {n.dedupe_key: n.target for n in Notification.objects.all()}
    assert found == {
        **{f"test:{number}": target for number, target in enumerate(STORED.values())},
        f"test:{len(STORED)}": None,
    }
    assert sorted(link(n) for n in Notification.objects.all()) == sorted([*STORED, ""])


def test_reversing_it_writes_the_links_back(
    before_targets: MigrationExecutor, social_worker: User
) -> None:
    _store(before_targets, social_worker, list(STORED))
    _migrate(AFTER)

    executor = _migrate(BEFORE)

    old = executor.loader.project_state(BEFORE).apps.get_model("notifications", "Notification")
    assert sorted(old.objects.values_list("link", flat=True)) == sorted(STORED)
