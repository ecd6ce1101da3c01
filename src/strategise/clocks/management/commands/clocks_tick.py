"""``manage.py clocks_tick``: enqueue the clock work that is due (breaches, reminders,
digests, webhook retries) for the task worker to run; with ``--every`` it repeats, like cron.

Django's tasks framework has no scheduler of its own, so something must say "now" from
time to time. Every task is idempotent, so running this twice, or on two machines,
changes nothing; ``make run`` runs it every minute beside ``db_worker``.

Each tick also queues again any database task whose worker died while running it
(``strategise.operations.stale_tasks``). With ``--every``, a tick that fails (the database
restarting, a dropped connection, Redis away) is logged, the connections are closed so
the next tick opens fresh ones, and the loop carries on; run once, a failure is an error.
"""

from __future__ import annotations

import logging
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections, connections
from django.utils import timezone

from strategise.clocks.tasks import clocks_tick, digests_tick
from strategise.integrations.tasks import webhooks_tick
from strategise.operations.stale_tasks import stale_tasks_requeue

logger = logging.getLogger("strategise.clocks")


def _reconnect() -> None:
    """Drop every database connection: the next query opens a new one."""
    connections.close_all()


def _refresh_connections() -> None:
    """As Django does between requests: drop connections that are broken or too old.

    Not inside a transaction (a test's), where closing would lose it.
    """
    if not any(db.in_atomic_block for db in connections.all(initialized_only=True)):
        close_old_connections()


class Command(BaseCommand):
    help = "Enqueue due clock work (breaches, reminders, digests); --every N repeats it."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Repeat every SECONDS seconds until stopped (default: once, then exit).",
        )

    def handle(self, *args: Any, every: int, **options: Any) -> None:
        if every < 0:
            raise CommandError("--every must be 0 (run once) or a number of seconds")
        while True:
            _refresh_connections()
            try:
                self._tick(options["verbosity"])
            except DatabaseError as error:
                if not every:
                    raise CommandError(f"The clock tick failed: {error}") from error
                logger.exception("The clock tick failed on the database; reconnecting")
                _reconnect()
            except Exception as error:
                if not every:
                    raise CommandError(f"The clock tick failed: {error}") from error
                logger.exception("The clock tick failed; trying again in %s seconds", every)
            if not every:
                return
            time.sleep(every)

    def _tick(self, verbosity: int) -> None:
        now = timezone.now()
        stale_tasks_requeue(now=now)
        clocks_tick.enqueue(now.isoformat())
        digests_tick.enqueue(now.isoformat())
        webhooks_tick.enqueue(now.isoformat())
        if verbosity > 1:
            self.stdout.write(
                f"Enqueued the clock tick, digests and webhook retries for {now.isoformat()}"
            )
