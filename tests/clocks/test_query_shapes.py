"""The shape of the tick's and the digest's queries, which run every minute and every day
over every clock an authority has ever had: they must use the live-work indexes.

At national size (1.7 million clocks), ``ORDER BY id LIMIT 200`` made PostgreSQL walk the
primary key through every clock instead of the partial index of live clocks, and the
model's default ordering joined the digest's ``SELECT DISTINCT``, so it was distinct per
clock rather than per person. ``make bench`` measures the plans at size; these hold the
SQL that gives them.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from strategise.clocks.digest import digest_recipients
from strategise.clocks.services import clocks_mark_breached, clocks_remind
from strategise.organisations.models import User
from strategise.policy import LONDON
from tests.clocks.support import held_discussion


def _selects(context: CaptureQueriesContext, table: str) -> list[str]:
    """The selects from ``table`` that read rows (not the unlocked "is anything due?")."""
    return [
        query["sql"]
        for query in context.captured_queries
        if query["sql"].startswith("SELECT")
        and f'FROM "{table}"' in query["sql"]
        and not query["sql"].startswith('SELECT 1 AS "a"')
    ]


def test_the_tick_takes_breached_clocks_in_the_order_of_the_live_clock_index(
    social_worker: User, team_manager: User
) -> None:
    held_discussion(social_worker, team_manager)
    with CaptureQueriesContext(connection) as context:
        breached = clocks_mark_breached(now=datetime(2026, 12, 1, 9, tzinfo=LONDON))
    assert breached, "the discussion's clocks are long overdue by then"
    (batch, *_) = _selects(context, "clocks_clock")
    assert 'ORDER BY "clocks_clock"."due_at" ASC, "clocks_clock"."id" ASC' in batch


def test_the_tick_takes_reminders_in_the_order_of_the_reminder_index(
    social_worker: User, team_manager: User
) -> None:
    held_discussion(social_worker, team_manager)
    with CaptureQueriesContext(connection) as context:
        reminded = clocks_remind(now=datetime(2026, 3, 5, 9, tzinfo=LONDON))
    assert reminded
    (batch, *_) = _selects(context, "clocks_clock")
    assert 'ORDER BY "clocks_clock"."remind_at" ASC, "clocks_clock"."id" ASC' in batch


def test_a_round_with_nothing_due_reads_once_and_takes_no_lock(
    social_worker: User, team_manager: User
) -> None:
    held_discussion(social_worker, team_manager)
    # The moment the discussion is held: nothing is overdue yet, and no reminder is due.
    with CaptureQueriesContext(connection) as context:
        breached = clocks_mark_breached(now=datetime(2020, 1, 1, 9, tzinfo=LONDON))
        reminded = clocks_remind(now=datetime(2020, 1, 1, 9, tzinfo=LONDON))
    assert breached == [] and reminded == []
    queries = [query["sql"] for query in context.captured_queries]
    assert len(queries) == 2, queries
    assert all(sql.startswith('SELECT 1 AS "a" FROM "clocks_clock"') for sql in queries)
    assert not any("FOR UPDATE" in sql or "ORDER BY" in sql for sql in queries)


def test_the_digest_finds_each_recipient_once_with_a_distinct_of_people_only(
    social_worker: User, team_manager: User
) -> None:
    held_discussion(social_worker, team_manager)
    now = datetime(2026, 3, 5, 9, tzinfo=LONDON)
    with CaptureQueriesContext(connection) as context:
        recipients = digest_recipients(now=now)
    assert team_manager in recipients
    distinct = [q["sql"] for q in context.captured_queries if "SELECT DISTINCT" in q["sql"]]
    assert len(distinct) == 3
    for sql in distinct:
        selected = sql.split(" FROM ")[0]
        assert selected.count(",") == 0, f"more than the person is made distinct: {selected}"
        assert "ORDER BY" not in sql
