"""``manage.py field_key_rotate``: every stored webhook secret encrypted again under the
first key of ``STRATEGISE_FIELD_KEY``.

To rotate the key: put a new key first in ``STRATEGISE_FIELD_KEY`` (the old one after it,
comma-separated), restart, run this, then drop the old key (docs/deploy.md).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from strategise.integrations.encryption import Undecryptable
from strategise.integrations.services import webhook_field_key_rotate


class Command(BaseCommand):
    help = "Encrypt every stored webhook secret again under the first STRATEGISE_FIELD_KEY."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            count = webhook_field_key_rotate()
        except Undecryptable as undecryptable:
            raise CommandError(
                f"A webhook secret cannot be decrypted: {undecryptable}. Nothing was changed."
            ) from None
        self.stdout.write(
            f"{count} webhook secret{'' if count == 1 else 's'} encrypted again under the "
            "first key: the others may now be dropped from STRATEGISE_FIELD_KEY"
        )
