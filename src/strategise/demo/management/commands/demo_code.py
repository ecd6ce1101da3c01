"""``manage.py demo_code``: the code every demo account's authenticator app shows now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from strategise.demo.second_factor import (
    DEMO_TOTP_SECRET,
    demo_code,
    demo_code_seconds_left,
)


class Command(BaseCommand):
    help = (
        "Print the code to enter after signing in as any demo account (they share one "
        "published authenticator-app secret), and how long it lasts."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--quiet", action="store_true", help="Print the code alone (for scripts)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        code = demo_code(now)
        if options["quiet"]:
            self.stdout.write(code)
            return
        self.stdout.write(
            f"{code}\n"
            f"Enter it after signing in as any demo account. It lasts another "
            f"{demo_code_seconds_left(now)} seconds, and each code works once per account.\n"
            f"To use an authenticator app instead, add the secret {DEMO_TOTP_SECRET}."
        )
