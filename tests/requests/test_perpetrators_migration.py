"""Alleged perpetrators typed as free text before adults were recorded: linked to the one
adult of that name in the same authority, and otherwise kept as typed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from strategise.organisations.models import LocalAuthority, User

BEFORE = [
    ("requests", "0002_allocated_worker_and_ending"),
    ("cases", "0004_people_around_the_child"),
]
AFTER = [("requests", "0003_perpetrators_as_adults")]


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor


@pytest.fixture
def before(transactional_db: None) -> Iterator[MigrationExecutor]:
    executor = _migrate(BEFORE)
    try:
        yield executor
    finally:
        _migrate(executor.loader.graph.leaf_nodes())


def test_typed_names_are_linked_only_to_the_one_adult_of_that_name(
    before: MigrationExecutor, authority: LocalAuthority, social_worker: User
) -> None:
    apps = before.loader.project_state(BEFORE).apps
    adult = apps.get_model("cases", "Adult")
    child = apps.get_model("cases", "Child").objects.create(
        local_authority_id=authority.pk, first_name="Lily", last_name="Price"
    )
    dean = adult.objects.create(
        local_authority_id=authority.pk, first_name="Dean", last_name="Turner"
    )
    for _ in range(2):  # two of the same name: which one is not guessed
        adult.objects.create(local_authority_id=authority.pk, first_name="Ryan", last_name="Cole")
    request = apps.get_model("requests", "StrategyRequest").objects.create(
        local_authority_id=authority.pk,
        raised_by_id=social_worker.pk,
        identified_at="2026-03-01T10:00:00Z",
        narrative="Lily said her stepfather hit her.",
        facts={},
        triage={},
        profile="sandwell",
        profile_version="1",
        discussion_type="standard",
    )
    apps.get_model("requests", "RequestChild").objects.create(
        request=request, child=child, household="child-1"
    )
    typed = apps.get_model("requests", "AllegedPerpetrator").objects
    for name in ("  dean   TURNER ", "Ryan Cole", "Unknown adult known as 'Jay'"):
        typed.create(request=request, name=name)

    after = _migrate(AFTER).loader.project_state(AFTER).apps
    rows = after.get_model("requests", "AllegedPerpetrator").objects.order_by("pk")
    assert [(row.name, row.adult_id) for row in rows] == [
        ("  dean   TURNER ", dean.pk),
        ("Ryan Cole", None),
        ("Unknown adult known as 'Jay'", None),
    ]
    links = after.get_model("cases", "ChildAdultLink").objects.values_list(
        "child_id", "adult_id", "relationship"
    )
    assert list(links) == [(child.pk, dean.pk, "alleged_perpetrator")]
