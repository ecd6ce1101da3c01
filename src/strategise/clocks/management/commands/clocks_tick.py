"""``manage.py clocks_tick``: enqueue the clock work that is due (breaches, reminders,
digests) for the task worker to run; with ``--every`` it repeats, like cron.

Django's tasks framework has no scheduler of its own, so something must say "now" from
time to time. Every task is idempotent, so running this twice, or on two machines,
changes nothing; ``make run`` runs it every minute beside ``db_worker``.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from strategise.clocks.tasks import clocks_tick, digests_tick


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
            now = timezone.now().isoformat()
            clocks_tick.enqueue(now)
            digests_tick.enqueue(now)
            if options["verbosity"] > 1:
                self.stdout.write(f"Enqueued the clock tick and digests for {now}")
            if not every:
                return
            time.sleep(every)
