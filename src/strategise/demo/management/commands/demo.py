"""``manage.py demo``: load the demo authorities, their people and a year of work, once."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.checks import Tags
from django.core.checks.registry import registry
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from strategise.demo.people import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Load demo data: a local authority for each procedure, a sign-in for every role, "
        "and a year of each authority's work. Does nothing if it is already loaded."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every system check but the URL configuration's: checking it imports every view
        # (and WeasyPrint), about 2 seconds of the load, for pages the load never serves.
        # ``make run`` checks the URLs as the server starts.
        self.requires_system_checks = sorted(registry.tags_available() - {Tags.urls})

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Load even though DJANGO_DEBUG is off (for a throwaway demonstration server).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["allow_without_debug"]:
            raise CommandError(
                "Demo data adds accounts with a published password, so it is only loaded "
                "with DJANGO_DEBUG=1. On a throwaway server that holds no real cases, add "
                "--allow-without-debug."
            )
        try:
            # The demo plays its year with the clock set back (time-machine), one of the
            # development dependencies, which a production install leaves out.
            from strategise.demo.loader import demo_load
            from strategise.demo.summary import authority_summary
        except ImportError as missing:
            raise CommandError(
                f"The demo needs the development dependencies ({missing.name} is missing): "
                "install them with pip install -e '.[dev]'."
            ) from missing
        loaded = demo_load(now=timezone.now())
        if loaded is None:
            self.stdout.write("Demo data is already loaded: nothing changed.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded demo data: {len(loaded.authorities)} local authorities, "
                f"{loaded.users} people, {loaded.children} children, {loaded.requests} "
                f"requests, {loaded.discussions} discussions."
            )
        )
        now = timezone.now()
        for authority in loaded.authorities:
            self.stdout.write(f"{authority.name}: sign in as sw.{authority.profile}, ...")
            for line in authority_summary(authority, now=now).lines()[1:]:
                self.stdout.write(line)
        self.stdout.write(
            f'Every demo account\'s password is "{DEMO_PASSWORD}". '
            "docs/demo.md lists the sign-ins and what each sees."
        )
