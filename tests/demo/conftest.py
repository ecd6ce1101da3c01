"""The demo, loaded once for the tests that read it (a load plays a year of six
authorities' work through the services), on a set day."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.core.management import call_command
from pytest_django import DjangoDbBlocker

from strategise.policy import LONDON

#: When the tests load the demo (its year is the year before), so what they find does not
#: depend on the day they run: a Wednesday, two thirds of the way through census year 2027.
LOADED_AT = datetime(2026, 11, 25, 10, 0, tzinfo=LONDON)


@dataclass(frozen=True)
class Loaded:
    """What ``manage.py demo`` printed, and every email it sent."""

    output: str
    emails: list[EmailMessage]


@pytest.fixture(scope="package")
def loaded(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Loaded]:
    """The demo loaded once, committed as ``manage.py demo`` commits it (so what happens
    after each commit, such as notification emails, happens), then flushed away after the
    package's tests, as Django's own transactional tests leave the database."""
    with django_db_blocker.unblock(), time_machine.travel(LOADED_AT, tick=True):
        mail.outbox = []
        try:
            out = StringIO()
            call_command("demo", "--allow-without-debug", stdout=out)
            yield Loaded(output=out.getvalue(), emails=list(mail.outbox))
        finally:
            call_command("flush", "--no-input", verbosity=0)
