"""``manage.py webhooks_endpoint``: an authority's webhook endpoints.

    webhooks_endpoint --authority SLUG add URL --event request.created [--event ...]
    webhooks_endpoint --authority SLUG list
    webhooks_endpoint --authority SLUG disable ID   (or enable ID)

``add`` prints the new endpoint's secret once (the receiver checks signatures with it);
nothing shows it again. docs/webhooks.md says what is sent and how it is signed.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from strategise.integrations.models import Event
from strategise.integrations.selectors import endpoints_of
from strategise.integrations.services import webhook_endpoint_create, webhook_endpoint_set_active
from strategise.organisations.management.authority import authority_named
from strategise.problems import Problem


class Command(BaseCommand):
    help = "Add, list, enable or disable an authority's webhook endpoints."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--authority", required=True, help="The authority's slug.")
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="Add an endpoint (prints its secret once).")
        add.add_argument("url")
        add.add_argument(
            "--event",
            action="append",
            dest="events",
            default=[],
            help="An event to send (repeat for more; 'all' for every one): "
            + ", ".join(Event.values),
        )
        add.add_argument("--description", default="")
        actions.add_parser("list", help="List the endpoints (never their secrets).")
        for name in ("enable", "disable"):
            switch = actions.add_parser(name, help=f"{name.title()} an endpoint.")
            switch.add_argument("endpoint", type=int)

    def handle(self, *args: Any, authority: str, action: str, **options: Any) -> None:
        found = authority_named(authority)
        if action == "add":
            events = list(Event.values) if options["events"] == ["all"] else options["events"]
            try:
                endpoint, secret = webhook_endpoint_create(
                    authority=found,
                    url=options["url"],
                    events=events,
                    description=options["description"],
                    now=timezone.now(),
                )
            except Problem as problem:
                raise CommandError("; ".join(message for _, message in problem.errors)) from None
            self.stdout.write(f"Endpoint {endpoint.pk}: {endpoint.url}")
            self.stdout.write(f"Events: {', '.join(endpoint.events)}")
            self.stdout.write(f"Secret (shown only now; give it to the receiver): {secret}")
            return
        if action == "list":
            for endpoint in endpoints_of(authority=found):
                state = "on" if endpoint.active else "off"
                self.stdout.write(
                    f"{endpoint.pk}\t{state}\t{endpoint.url}\t{','.join(endpoint.events)}"
                    f"\t{endpoint.description}"
                )
            return
        chosen = endpoints_of(authority=found).filter(pk=options["endpoint"]).first()
        if chosen is None:
            raise CommandError(f"{found.slug} has no endpoint {options['endpoint']}")
        webhook_endpoint_set_active(endpoint=chosen, active=action == "enable")
        self.stdout.write(f"Endpoint {chosen.pk} {action}d")
