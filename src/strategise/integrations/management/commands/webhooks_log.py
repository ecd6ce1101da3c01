"""``manage.py webhooks_log --authority SLUG [--endpoint ID] [--limit N]``: the delivery
log, newest first: each delivery's event, state and tries (status code, answer's first
characters, error, when it is tried next)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from strategise.integrations.selectors import LOG_SIZE, delivery_log
from strategise.organisations.management.authority import authority_named


class Command(BaseCommand):
    help = "Show an authority's webhook deliveries and their tries, newest first."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--authority", required=True, help="The authority's slug.")
        parser.add_argument("--endpoint", type=int, default=None)
        parser.add_argument("--limit", type=int, default=LOG_SIZE)

    def handle(self, *args: Any, authority: str, **options: Any) -> None:
        found = authority_named(authority)
        for delivery in delivery_log(
            authority=found, endpoint=options["endpoint"], limit=options["limit"]
        ):
            replay = f" (replay of {delivery.replay_of_id})" if delivery.replay_of_id else ""
            nxt = delivery.next_attempt_at.isoformat() if delivery.next_attempt_at else "-"
            self.stdout.write(
                f"Delivery {delivery.pk}{replay}: {delivery.event} {delivery.event_id} to "
                f"endpoint {delivery.endpoint_id}, {delivery.status}, "
                f"{delivery.attempts} tries, next {nxt}"
            )
            for attempt in delivery.attempt_log.all():
                code = attempt.status_code if attempt.status_code is not None else "no answer"
                self.stdout.write(
                    f"  try {attempt.number} at {attempt.at.isoformat()}: {code}"
                    f" {attempt.error} {attempt.response_excerpt[:80]!r}"
                    f" ({attempt.duration_ms} ms)"
                )
