"""Audited reads per second, with 1, 2, 4 and 8 clients at once, on one chain and on four.

Every audited read appends to its chain, which locks the chain's head row until the
read's transaction commits. Before per-authority chains there was one head row for the
whole country, so every audited read queued behind every other. Here each client is a
process (as a web server's workers are) doing ``READS`` reads of a child's record
through the real selector (``child_get``: the scoped query, the event, the commit), each
read in its own transaction:

* **one chain**: every client in the same authority, so all queue on one head row, as
  every client in the country did before;
* **four chains**: the clients spread over four authorities, two at most on each head.

The events are the same keyed events in both, so the difference is the lock alone. It
prints a table and asserts nothing about time: the figures depend on the machine (disk
flushes at commit, cores free). PostgreSQL only: SQLite has one writer at a time, so
chains cannot help there.
"""

from __future__ import annotations

import multiprocessing
import time
from typing import Any

import pytest
from django.db import connection, connections

from strategise.audit.models import AuditEvent
from strategise.audit.verification import audit_verify
from strategise.cases.selectors import child_get
from strategise.organisations.models import Role, User
from tests.factories import AgencyFactory, ChildFactory, LocalAuthorityFactory, UserFactory

CLIENTS = (1, 2, 4, 8)
AUTHORITIES = 4
READS = 100
LAYOUTS = ("one chain", "four chains")

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has one writer at a time, so more chains cannot help: PostgreSQL only",
    ),
    pytest.mark.django_db(transaction=True),
]

# (user id, child id) for each client, in each layout.
Readers = dict[str, list[tuple[int, int]]]


def _readers() -> Readers:
    """Eight social workers per layout, each with a child of their authority to read."""
    authorities = []
    for number in range(AUTHORITIES):
        authority = LocalAuthorityFactory.create(slug=f"bench-{number}")
        agency = AgencyFactory.create(local_authority=authority)
        authorities.append((agency, ChildFactory.create(local_authority=authority)))
    readers: Readers = {}
    for layout in LAYOUTS:
        readers[layout] = []
        for client in range(max(CLIENTS)):
            agency, child = authorities[0 if layout == "one chain" else client % AUTHORITIES]
            user = UserFactory.create(agency=agency, role=Role.SOCIAL_WORKER)
            readers[layout].append((user.pk, child.pk))
    return readers


def _client(user_pk: int, child_pk: int, start: Any, times: Any) -> None:
    """One client: connect, wait for the others, then read the child READS times."""
    user = User.objects.select_related("agency").get(pk=user_pk)
    start.wait()
    began = time.monotonic()
    for _ in range(READS):
        child_get(user=user, pk=child_pk)
    times.put((began, time.monotonic()))
    connection.close()


def _reads_per_second(readers: list[tuple[int, int]]) -> float:
    """Run the clients as processes at once; the reads they made per second together."""
    context = multiprocessing.get_context("fork")
    start, times = context.Barrier(len(readers)), context.Queue()
    # A forked process must not share its parent's database connection.
    connections.close_all()
    processes = [
        context.Process(target=_client, args=(user_pk, child_pk, start, times))
        for user_pk, child_pk in readers
    ]
    for process in processes:
        process.start()
    spans = [times.get(timeout=600) for _ in processes]
    for process in processes:
        process.join()
        assert process.exitcode == 0
    elapsed = max(end for _, end in spans) - min(began for began, _ in spans)
    return len(readers) * READS / elapsed


def _matrix(readers: Readers) -> dict[tuple[str, int], float]:
    results = {}
    for clients in CLIENTS:
        for layout in LAYOUTS:
            results[layout, clients] = _reads_per_second(readers[layout][:clients])
    return results


def _table(results: dict[tuple[str, int], float]) -> str:
    lines = [
        f"Audited reads per second on PostgreSQL ({READS} reads per client, each in its own "
        "transaction)",
        f"{'clients':>7}  {'one chain':>10}  {'four chains':>11}  {'four / one':>10}",
    ]
    for clients in CLIENTS:
        one, four = results["one chain", clients], results["four chains", clients]
        lines.append(f"{clients:>7}  {one:>10.0f}  {four:>11.0f}  {four / one:>10.2f}")
    return "\n".join(lines)


def test_audited_reads_per_second(benchmark: Any, capsys: pytest.CaptureFixture[str]) -> None:
    results = benchmark.pedantic(_matrix, args=(_readers(),), rounds=1, iterations=1)
    benchmark.extra_info["reads_per_second"] = {
        f"{layout}, {clients} clients": round(rate) for (layout, clients), rate in results.items()
    }
    with capsys.disabled():
        print("\n" + _table(results))
    expected = READS * sum(CLIENTS) * len(LAYOUTS)
    assert AuditEvent.objects.filter(action="view").count() == expected
    assert audit_verify().intact
