"""The backup half of the restore drill: back up while a thread writes audited records.

Run as ``python -m tests.deploy.backup_drill FILE`` with ``DATABASE_URL`` set to a migrated
database. A writer thread adds children through the real service (each child and its
audit event in one transaction) while the main thread runs ``manage.py backup FILE``.
Prints JSON: how many children were committed when the backup started, when it ended,
and when the writer stopped.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from datetime import date

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategise.config.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from strategise.cases.models import Child  # noqa: E402
from strategise.cases.services import child_create  # noqa: E402
from strategise.organisations.models import Role, User  # noqa: E402
from tests.factories import AgencyFactory, LocalAuthorityFactory, UserFactory  # noqa: E402

WRITES_AT_MOST = 5_000
SECONDS_AT_MOST = 60


def _worker() -> User:
    authority = LocalAuthorityFactory.create(slug="drill", profile="sandwell")
    agency = AgencyFactory.create(local_authority=authority, kind="childrens_social_care")
    user: User = UserFactory.create(agency=agency, role=Role.SOCIAL_WORKER)
    return user


def main(path: str) -> None:
    user = _worker()
    written = [0]
    stop = threading.Event()

    def write() -> None:
        try:
            while not stop.is_set() and written[0] < WRITES_AT_MOST:
                child_create(
                    user=user,
                    values={
                        "first_name": f"Drill{written[0]}",
                        "last_name": "Backup",
                        "date_of_birth": date(2018, 1, 1),
                    },
                    today=date(2026, 3, 4),
                )
                written[0] += 1
        finally:
            connection.close()

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    deadline = time.monotonic() + SECONDS_AT_MOST
    while written[0] < 20 and time.monotonic() < deadline:
        time.sleep(0.01)
    started = written[0]
    call_command("backup", path)
    ended = written[0]
    # Let the writer carry on past the backup, then stop it.
    while written[0] < ended + 10 and time.monotonic() < deadline:
        time.sleep(0.01)
    stop.set()
    writer.join(timeout=SECONDS_AT_MOST)
    print(
        json.dumps(
            {
                "started": started,
                "ended": ended,
                "stopped": written[0],
                "children": Child.objects.count(),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
