"""Every page at one large authority's size and at national size, beside a floor.

``tests/benchmarks/synthetic.py`` builds one large authority's five years (1×: 25,000
requests); with ``STRATEGISE_BENCH_AUTHORITIES=10`` (``make bench-national``) it then
builds nine more beside it (10×: 250,000 requests) and measures again, in the same run. For
every page (GET, through the whole middleware stack, signed in with a second factor) it
reports the number of queries and the median time of ``ROUNDS`` requests after a warm-up,
and the ratio of that time to the floor's: a view doing one indexed query behind the same
middleware (``tests/benchmarks/floor_urls.py``), measured in the same run.

On PostgreSQL it also reads the plans the planner chooses (after ANALYZE, as autovacuum
would) for the report, the returns and the dashboard: no read of a table that grows with
other authorities' data may go unnarrowed to the authority (``tests/plans.py``). That is
asserted with more than one authority; with one, its rows are the whole table, and a
sequential scan is the planner's right choice. Times are printed, never asserted.
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from strategise.discussions.models import Discussion, DiscussionStatus
from strategise.organisations.models import User
from strategise.requests.models import RequestStatus, StrategyRequest
from tests.benchmarks.synthetic import LargeAuthority, build_national
from tests.plans import reads_of, whole_table_reads
from tests.second_factor import VerifiedClient

AUTHORITIES = int(os.environ.get("STRATEGISE_BENCH_AUTHORITIES", "1"))
ROUNDS = int(os.environ.get("STRATEGISE_BENCH_ROUNDS", "7"))
# The last census year of the generated history (it ends on 15 April 2026).
YEAR = "from_day=1&from_month=4&from_year=2025&to_day=31&to_month=3&to_year=2026"
# The pages whose plans are read: the report, the returns and the dashboard.
PLANNED = ("Performance report", "CIN census export", "Annex A export", "Oversight dashboard")


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    user: User


@dataclass(frozen=True)
class Measured:
    queries: int
    median_ms: float
    plan_problems: tuple[str, ...] = ()


def _pages(built: LargeAuthority) -> list[Page]:
    """The pages of the first authority, seen by its head of service or a team manager."""
    head = built.head_of_service
    manager = built.teams[0].manager
    assert manager is not None
    discussion = (
        Discussion.objects.filter(
            local_authority=built.authority, chair=manager, status=DiscussionStatus.HELD
        )
        .order_by("-held_at")
        .first()
    )
    assert discussion is not None
    request = discussion.request
    child = request.children.first()
    assert child is not None
    waiting = StrategyRequest.objects.filter(
        local_authority=built.authority, status=RequestStatus.AWAITING_CONVENING
    ).first()
    assert waiting is not None

    def page(name: str, route: str, *args: Any, query: str = "", user: User = head) -> Page:
        url = reverse(route, args=args) + (f"?{query}" if query else "")
        return Page(name, url, user)

    return [
        page("Floor (one indexed query)", "bench-floor", child.pk),
        page("Start", "web:start"),
        page("My work (team manager)", "web:my-work", user=manager),
        page("Team's work (team manager)", "web:team-work", user=manager),
        page("Oversight dashboard", "oversight:dashboard"),
        page("Children: search", "web:children", query="text=Child12+Bench"),
        page("Child", "web:child", child.pk),
        page("Request (held)", "web:request", request.pk),
        page("Request (awaiting convening)", "web:request", waiting.pk),
        page("Discussion", "web:discussion", discussion.pk),
        page("Minutes", "web:minutes", discussion.pk),
        page("Clocks", "web:clocks", discussion.pk),
        page("Actions", "web:actions", discussion.pk),
        page("Disagreements", "web:disagreements"),
        page("Notifications", "notifications:list"),
        page("Performance report", "reports:performance", query=YEAR),
        page("Returns", "reports:returns", query=YEAR),
        page("CIN census export", "reports:cin-census", query=YEAR),
        page("Annex A export", "reports:annex-a", query=YEAR),
    ]


def _measure(pages: list[Page]) -> dict[str, Measured]:
    clients: dict[int, VerifiedClient] = {}
    results = {}
    for page in pages:
        client = clients.get(page.user.pk)
        if client is None:
            client = clients[page.user.pk] = VerifiedClient()
            client.force_login(page.user)
        for _ in range(2):  # warm-up: templates compiled, caches filled
            assert client.get(page.url).status_code == 200, page
        # A request empties the connection's query log as it starts (Django's
        # reset_queries), so the capture starts from an empty one.
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as context:
            assert client.get(page.url).status_code == 200, page
        # Counted now: the capture reads the connection's log, which the next request empties.
        queries = len(context)
        problems: list[str] = []
        if connection.vendor == "postgresql" and page.name in PLANNED:
            for sql in reads_of(context):
                problems += whole_table_reads(sql)
        times = []
        for _ in range(ROUNDS):
            began = time.perf_counter()
            client.get(page.url)
            times.append(time.perf_counter() - began)
        results[page.name] = Measured(
            queries=queries,
            median_ms=statistics.median(times) * 1000,
            plan_problems=tuple(problems),
        )
    return results


def _analyze() -> None:
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load: without statistics the planner takes the
        # new tables for empty ones.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _table(runs: dict[int, dict[str, Measured]]) -> str:
    scales = sorted(runs)
    floor = {scale: runs[scale]["Floor (one indexed query)"].median_ms for scale in scales}
    head = f"| page | queries | {' | '.join(f'ms at {s}×' for s in scales)} | "
    head += " | ".join(f"ratio at {s}×" for s in scales) + " |"
    lines = [head, "|---" * (2 + 2 * len(scales)) + "|"]
    for name in runs[scales[0]]:
        queries = "/".join(str(runs[s][name].queries) for s in scales)
        ms = " | ".join(f"{runs[s][name].median_ms:.1f}" for s in scales)
        ratios = " | ".join(f"{runs[s][name].median_ms / floor[s]:.1f}" for s in scales)
        lines.append(f"| {name} | {queries} | {ms} | {ratios} |")
    return "\n".join(lines)


def test_every_page_beside_the_floor(
    benchmark: Any, settings: Any, capsys: pytest.CaptureFixture[str], db: None
) -> None:
    settings.ROOT_URLCONF = "tests.benchmarks.floor_urls"
    began = time.monotonic()
    (first,) = build_national(1)
    built_seconds = {1: time.monotonic() - began}
    _analyze()
    pages = _pages(first)
    runs: dict[int, dict[str, Measured]] = {1: _measure(pages)}
    with capsys.disabled():  # 1× first, in case the 10× build is stopped
        print(f"\nBuilt 1× in {built_seconds[1]:.0f} s\n{_table(runs)}")
    if AUTHORITIES > 1:
        began = time.monotonic()
        build_national(AUTHORITIES - 1, first=1)
        built_seconds[AUTHORITIES] = time.monotonic() - began
        _analyze()
        runs[AUTHORITIES] = _measure(pages)
    floor_page = pages[0]
    client = VerifiedClient()
    client.force_login(floor_page.user)
    fetch: Callable[[], Any] = lambda: client.get(floor_page.url)  # noqa: E731
    benchmark.pedantic(fetch, rounds=ROUNDS, warmup_rounds=2)
    benchmark.extra_info["pages"] = {
        f"{name} at {scale}x": {"queries": m.queries, "median_ms": round(m.median_ms, 1)}
        for scale, run in runs.items()
        for name, m in run.items()
    }
    with capsys.disabled():
        print(f"\nBuilt in {', '.join(f'{s}×: {t:.0f} s' for s, t in built_seconds.items())}")
        print(_table(runs))
        for scale, run in runs.items():
            for name, measured in run.items():
                for problem in measured.plan_problems:
                    print(f"plan at {scale}×, {name}: {problem}")
    for run in runs.values():  # no N+1: the same queries whatever the size
        assert {name: m.queries for name, m in run.items()} == {
            name: m.queries for name, m in runs[1].items()
        }
    if AUTHORITIES > 1:
        problems = {name: m.plan_problems for name, m in runs[AUTHORITIES].items()}
        assert all(not found for found in problems.values()), problems
