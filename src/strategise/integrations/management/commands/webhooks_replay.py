"""``manage.py webhooks_replay``: send events again.

    webhooks_replay --delivery ID [--delivery ID ...]
    webhooks_replay --since 2026-12-01T09:00 [--endpoint ID] [--include-delivered]

Each is a new delivery of the same event (the same ``webhook-id`` and body, signed anew)
to the same endpoint, tried at once by the task worker. ``--since`` takes every delivery
made since then that failed every try (and those delivered too, with
``--include-delivered``); never one still being retried.
"""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from strategise.integrations.models import WebhookDelivery
from strategise.integrations.services import replay_candidates, webhooks_replay


def _moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--since {text!r} is not a date and time: write it like 2026-12-01T09:00"
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = "Send webhook deliveries' events again (--delivery ID, or --since WHEN)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--delivery", type=int, action="append", default=[])
        parser.add_argument("--since", default="")
        parser.add_argument("--endpoint", type=int, default=None)
        parser.add_argument("--include-delivered", action="store_true")

    def handle(self, *args: Any, delivery: list[int], since: str, **options: Any) -> None:
        if bool(delivery) == bool(since):
            raise CommandError("Give either --delivery ID (one or more) or --since WHEN")
        if delivery:
            chosen = list(WebhookDelivery.objects.filter(pk__in=delivery).order_by("pk"))
            missing = sorted(set(delivery) - {d.pk for d in chosen})
            if missing:
                raise CommandError(f"No delivery {', '.join(map(str, missing))}")
        else:
            chosen = replay_candidates(
                since=_moment(since),
                include_delivered=options["include_delivered"],
                endpoint=options["endpoint"],
            )
        made = webhooks_replay(deliveries=chosen, now=timezone.now())
        for original, replay in zip(chosen, made, strict=True):
            self.stdout.write(f"Delivery {original.pk} replayed as delivery {replay.pk}")
        self.stdout.write(f"{len(made)} replayed")
