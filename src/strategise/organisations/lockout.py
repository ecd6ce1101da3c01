"""Lockout after repeated wrong passwords, by username and by address (django-axes).

Axes counts each failed sign-in against the username and the address it came from. A
username is locked after ``STRATEGISE_LOCKOUT_FAILURES`` failures, an address (where many
people may sign in from one office) after ``STRATEGISE_LOCKOUT_ADDRESS_FAILURES``; either
lasts ``STRATEGISE_LOCKOUT_MINUTES`` from the last failure, and while it lasts the right
password is refused too. An administrator unlocks an account (``account_unlock`` in
``services.py``), which forgets its failures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.http import HttpRequest


class LockedBy(StrEnum):
    USERNAME = "username"
    ADDRESS = "address"


@dataclass(frozen=True)
class Lockout:
    """Why signing in is refused, and until when."""

    by: LockedBy
    until: datetime

    def minutes_left(self, now: datetime) -> int:
        """Whole minutes until it ends, rounded up (at least 1)."""
        return max(1, -(-int((self.until - now).total_seconds()) // 60))


def _period() -> timedelta:
    return timedelta(minutes=settings.STRATEGISE_LOCKOUT_MINUTES)


def _recent(attempts: QuerySet[AccessAttempt], now: datetime) -> QuerySet[AccessAttempt]:
    return attempts.filter(attempt_time__gte=now - _period())


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def _until(attempts: QuerySet[AccessAttempt]) -> datetime:
    last: datetime = attempts.aggregate(last=Max("attempt_time"))["last"]
    return last + _period()


def lockout_of(*, username: str | None, address: str | None, now: datetime) -> Lockout | None:
    """Whether signing in as ``username`` (or from ``address``) is locked now, and why."""
    if username:
        by_username = _recent(AccessAttempt.objects.filter(username=username), now)
        if _failures(by_username) >= settings.STRATEGISE_LOCKOUT_FAILURES:
            return Lockout(LockedBy.USERNAME, _until(by_username))
    if address:
        by_address = _recent(AccessAttempt.objects.filter(ip_address=address), now)
        if _failures(by_address) >= settings.STRATEGISE_LOCKOUT_ADDRESS_FAILURES:
            return Lockout(LockedBy.ADDRESS, _until(by_address))
    return None


def failures_forget(*, username: str) -> int:
    """Forget the username's failed sign-ins (so its lockout ends); how many records went."""
    deleted, _ = AccessAttempt.objects.filter(username=username).delete()
    return deleted


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, with a higher limit for an address than for a username.

    Axes compares one number of failures with one limit (``AXES_FAILURE_LIMIT``, the
    username's). This handler's number is the username's failures, or the limit itself
    once the address has reached its own, higher limit.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        # In the order of AXES_LOCKOUT_PARAMETERS: the username's attempts, the address's.
        by_username, by_address = self.get_user_attempts(request, credentials)
        failures = _failures(by_username)
        if _failures(by_address) >= settings.STRATEGISE_LOCKOUT_ADDRESS_FAILURES:
            return max(failures, settings.STRATEGISE_LOCKOUT_FAILURES)
        return failures
