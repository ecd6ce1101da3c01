"""``manage.py api_client SLUG NAME ACCOUNT``: register a case system for the API's OAuth 2
client credentials, acting as ACCOUNT (a username of the authority); prints its client id
and secret, once. ``--revoke CLIENT_ID`` stops a client and every token it was issued.

manage.py api_client demo-sandwell Mosaic mosaic.sandwell --scope read --scope write
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from strategise.organisations.models import ApiScope, LocalAuthority, User
from strategise.organisations.tokens import api_client_create, api_client_revoke
from strategise.problems import Problem


class Command(BaseCommand):
    help = "Register (or revoke) a case system's OAuth 2 client for the API."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("slug", nargs="?", help="The authority's slug.")
        parser.add_argument("name", nargs="?", help="The case system's name, e.g. Mosaic.")
        parser.add_argument("account", nargs="?", help="The username the client acts as.")
        parser.add_argument(
            "--scope",
            action="append",
            choices=ApiScope.values,
            help="What its tokens may do (read, write); repeat for both. Default: read.",
        )
        parser.add_argument("--revoke", metavar="CLIENT_ID", help="Revoke this client instead.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["revoke"]:
                client = api_client_revoke(client_id=options["revoke"], now=timezone.now())
                self.stdout.write(f"Revoked {client}: its tokens no longer work.")
                return
            if not (options["slug"] and options["name"] and options["account"]):
                raise CommandError("Give the authority's slug, the system's name and an account")
            authority = LocalAuthority.objects.filter(slug=options["slug"]).first()
            if authority is None:
                raise CommandError(f"No local authority has the slug {options['slug']!r}")
            account = User.objects.filter(username=options["account"]).first()
            if account is None:
                raise CommandError(f"No account has the username {options['account']!r}")
            client, secret = api_client_create(
                authority=authority,
                name=options["name"],
                account=account,
                scopes=options["scope"] or [ApiScope.READ],
                now=timezone.now(),
            )
        except Problem as problem:
            raise CommandError(str(problem)) from None
        self.stdout.write(f"client_id={client.client_id}")
        self.stdout.write(f"client_secret={secret}")
        self.stdout.write("Keep the secret now: it is not kept and cannot be shown again.")
