"""``manage.py authority_mail SLUG``: show, or change, where an authority's minutes may go.

manage.py authority_mail sandwell --own-domains "sandwellchildrenstrust.org"
manage.py authority_mail sandwell --minutes-delivery sign_in
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from strategise.organisations.mail_settings import authority_mail_update
from strategise.organisations.management.authority import authority_named
from strategise.organisations.models import MinutesDelivery
from strategise.problems import Problem


class Command(BaseCommand):
    help = "Show or change an authority's secure email domains and how its minutes are sent."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("slug", help="The authority's slug (for example demo-sandwell).")
        parser.add_argument(
            "--own-domains", help="The authority's own email domains, comma-separated."
        )
        parser.add_argument(
            "--secure-domains",
            help="Other domains counted as secure, comma-separated (replaces the list).",
        )
        parser.add_argument(
            "--minutes-delivery",
            choices=MinutesDelivery.values,
            help="attach_to_secure: the PDF for secure addresses, a sign-in link for others; "
            "sign_in: everyone signs in to read them.",
        )

    def handle(self, *args: Any, slug: str, **options: Any) -> None:
        authority = authority_named(slug)
        changes = {
            "email_domains": options["own_domains"],
            "secure_domains": options["secure_domains"],
            "minutes_delivery": options["minutes_delivery"],
        }
        if any(value is not None for value in changes.values()):
            try:
                authority = authority_mail_update(authority=authority, **changes)
            except Problem as problem:
                raise CommandError(str(problem)) from problem
        self.stdout.write(f"{authority} ({authority.slug})")
        self.stdout.write(f"  own domains:      {authority.email_domains or '(none)'}")
        self.stdout.write(f"  secure domains:   {authority.secure_domains or '(none)'}")
        self.stdout.write(f"  minutes delivery: {authority.get_minutes_delivery_display()}")
