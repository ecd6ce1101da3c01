"""How long the oversight dashboard takes for a large authority's five years (target: under
100 ms at the server on PostgreSQL).

``tests/benchmarks/synthetic.py`` builds 25,000 requests with their discussions, clocks,
actions and disagreements; the dashboard reads only live work through indexes, so its
time should not grow with history. On PostgreSQL the benchmark also checks that each
list's plan (after ANALYZE, as autovacuum would) scans an index, not a table.

Medians measured when this was written (other work running on the same machine):
PostgreSQL 15 about 40 ms for the whole authority, 15 ms for one team and 70 ms filtered by
procedure (which joins each action and clock to its request); SQLite about 42, 16 and
150 ms. Building the data takes about a minute per test.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from strategise.organisations.models import LocalAuthority
from strategise.oversight.selectors import Filters, oversight_dashboard
from tests.benchmarks.synthetic import NOW, REQUESTS_PER_YEAR, YEARS, LargeAuthority
from tests.benchmarks.synthetic import build_large_authority as build

TARGET_SECONDS = 0.1
# The tables that grow with history. (Disagreements are rare, a few hundred rows here, so
# reading them whole is the planner's right choice; tests/oversight checks their index.)
BIG_TABLES = ("clocks_clock", "requests_strategyrequest", "actions_action")


@pytest.fixture
def large(authority: LocalAuthority) -> Iterator[LargeAuthority]:
    built = build(authority)
    assert built.requests == YEARS * REQUESTS_PER_YEAR
    if connection.vendor == "postgresql":
        # As autovacuum would after a bulk load: the planner needs the tables' statistics.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    yield built


def _within_target(benchmark: Any) -> None:
    if connection.vendor == "postgresql":
        assert benchmark.stats.stats.median < TARGET_SECONDS


def test_the_dashboard_for_a_head_of_service(benchmark: Any, large: LargeAuthority) -> None:
    oversight = benchmark.pedantic(
        oversight_dashboard,
        kwargs={"user": large.head_of_service, "now": NOW},
        rounds=20,
        warmup_rounds=2,
    )
    assert oversight.requests.total > 0
    assert oversight.overdue_actions.total > 0
    assert oversight.disagreements.total > 0
    assert len(oversight.overdue_clocks.rows) == 25 < oversight.overdue_clocks.total
    _within_target(benchmark)
    if connection.vendor == "postgresql":
        _assert_index_scans(large)


def _assert_index_scans(large: LargeAuthority) -> None:
    with CaptureQueriesContext(connection) as captured:
        oversight_dashboard(user=large.head_of_service, now=NOW)
    reads = [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith("SELECT") and any(t in query["sql"] for t in BIG_TABLES)
    ]
    assert len(reads) >= 4
    with connection.cursor() as cursor:
        for sql in reads:
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            for table in BIG_TABLES:
                assert f"Seq Scan on {table}" not in plan, plan


def test_the_dashboard_filtered_to_one_team(benchmark: Any, large: LargeAuthority) -> None:
    oversight = benchmark.pedantic(
        oversight_dashboard,
        kwargs={
            "user": large.head_of_service,
            "now": NOW,
            "filters": Filters(team=large.teams[0].pk),
        },
        rounds=20,
        warmup_rounds=2,
    )
    assert oversight.overdue_clocks.total > 0
    _within_target(benchmark)


def test_the_dashboard_filtered_by_procedure(benchmark: Any, large: LargeAuthority) -> None:
    oversight = benchmark.pedantic(
        oversight_dashboard,
        kwargs={"user": large.head_of_service, "now": NOW, "filters": Filters(profile="sandwell")},
        rounds=20,
        warmup_rounds=2,
    )
    assert oversight.overdue_clocks.total > 0
    _within_target(benchmark)
