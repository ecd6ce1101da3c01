"""Reading PostgreSQL's plans: does a query read a table that grows with every authority's
data through an index on what it asks for, or scan it whole?

``whole_table_reads(sql)`` EXPLAINs a captured query and names each read of one of the
``GROWING`` tables that is not narrowed to one authority by an index: a sequential scan, an
index scan with no condition (a full index walk, a sequential scan in another order), or an
index condition on neither the authority nor a row of another table the plan has already
narrowed (a join's parameter, such as ``discussion_id = d.id``), like every authority's
open actions due before now.
On a test's few rows PostgreSQL rightly scans tables whole, so the tests ask with
``enable_seqscan`` off (``forced=True``): the plan that remains then shows whether an index
fits the query at all. The benchmarks ask with the planner's own choice at size.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

# The tables that grow with each authority's history, and so with other authorities' data.
GROWING = (
    "actions_action",
    "cases_child",
    "clocks_clock",
    "discussions_childdecision",
    "discussions_discussion",
    "discussions_invitation",
    "requests_strategyrequest",
    "requests_requestchild",
)
INDEX_READS = ("Index Scan", "Index Only Scan", "Bitmap Heap Scan")


def _nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", ()):
        yield from _nodes(child)


def plan_of(sql: str, *, forced: bool = False) -> dict[str, Any]:
    """The plan of a captured query (its parameters already in it), as EXPLAIN's JSON."""
    with transaction.atomic(), connection.cursor() as cursor:
        if forced:
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        (row,) = cursor.fetchall()
    found = row[0]
    plan: dict[str, Any] = (json.loads(found) if isinstance(found, str) else found)[0]["Plan"]
    return plan


def _narrowed(condition: str) -> bool:
    """Whether an index condition keeps to one authority: on its column, on keys already
    chosen (``request_id = ANY (...)``), or on a column of another table in the plan (a
    join's parameter)."""
    bare = re.sub(r"'[^']*'(::[\w \[\]]+)?", "?", condition)
    return (
        "local_authority_id" in bare
        or re.search(r"id = (ANY \()?(\?|\d+)", bare) is not None
        or re.search(r'"?\b[A-Za-z_]\w*"?\.[A-Za-z_]\w*', bare) is not None
    )


def whole_table_reads(sql: str, *, forced: bool = False) -> list[str]:
    """Each read of a growing table in the query's plan not narrowed to one authority."""
    problems = []
    for node in _nodes(plan_of(sql, forced=forced)):
        table = node.get("Relation Name")
        if table not in GROWING:
            continue
        kind = node["Node Type"]
        if kind == "Bitmap Heap Scan":
            conditions = [
                inner["Index Cond"]
                for inner in _nodes(node)
                if inner["Node Type"] == "Bitmap Index Scan" and "Index Cond" in inner
            ]
        elif kind in INDEX_READS:
            conditions = [node["Index Cond"]] if "Index Cond" in node else []
        else:
            problems.append(f"{kind} on {table}")
            continue
        if not any(_narrowed(condition) for condition in conditions):
            problems.append(
                f"{kind} on {table} using {node.get('Index Name', 'a bitmap')} "
                f"with {' and '.join(conditions) or 'no condition'}"
            )
    return problems


def reads_of(context: CaptureQueriesContext) -> list[str]:
    """The SELECTs a block ran that read a growing table."""
    return [
        query["sql"]
        for query in context.captured_queries
        if query["sql"].lstrip().startswith("SELECT")
        and any(f'"{table}"' in query["sql"] for table in GROWING)
    ]
