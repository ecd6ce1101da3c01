"""Sessions, all in one place: how long a signed-in session lasts, and ending every
session of a user at once.

* **Limits.** A session ends after a spell without a request
  (``STRATEGISE_SESSION_IDLE_MINUTES``, 30 by default) and, however busy, after
  ``STRATEGISE_SESSION_MAX_HOURS`` (12) from signing in: ``SessionLimitsMiddleware``, with
  the clocks started on signing in (``session_started``, on Django's ``user_logged_in``).
* **Ending them all.** Each session keeps a hash of the user's password and
  ``session_stamp`` (``User.get_session_auth_hash``), which Django checks on every request,
  so ``sessions_end`` (a new stamp, saved by the caller in its own transaction) ends every
  session of the user at their next request: "sign out of every device"
  (``sessions_end_everywhere``), a deactivated account, a second factor reset.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from strategise.audit.models import SecurityAction
from strategise.audit.services import audit_record, audit_security_event
from strategise.organisations.models import User

STARTED_KEY = "strategise_session_started"
SEEN_KEY = "strategise_session_seen"
# Why the last session ended, for the sign-in page to say.
ENDED_KEY = "strategise_session_ended"
IDLE, LIFETIME = "idle", "lifetime"
# How stale "last seen" may be: saving the session at most once a minute rather than on
# every request costs the idle limit at most this much.
SEEN_EVERY = timedelta(minutes=1)
# A session stamp: 16 random bytes, as 32 hexadecimal digits.
STAMP_BYTES = 16


def idle_limit() -> timedelta:
    return timedelta(minutes=settings.STRATEGISE_SESSION_IDLE_MINUTES)


def lifetime_limit() -> timedelta:
    return timedelta(hours=settings.STRATEGISE_SESSION_MAX_HOURS)


def _at(value: object) -> datetime | None:
    if not isinstance(value, int | float):
        return None
    return datetime.fromtimestamp(value, UTC)


def ended_message(reason: str) -> str:
    """What the sign-in page says about a session that has just ended."""
    if reason == IDLE:
        minutes = settings.STRATEGISE_SESSION_IDLE_MINUTES
        return (
            f"You were signed out because you had not used Strategise for {minutes} minutes. "
            "Sign in again to carry on"
        )
    return (
        f"You were signed out because you had been signed in for "
        f"{settings.STRATEGISE_SESSION_MAX_HOURS} hours. Sign in again to carry on"
    )


def session_started(sender: object, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """On signing in (Django's ``user_logged_in``), the session's clocks start again."""
    stamp = timezone.now().timestamp()
    request.session[STARTED_KEY] = stamp
    request.session[SEEN_KEY] = stamp


class SessionLimitsMiddleware:
    """End a signed-in session that has been idle too long or has lasted too long."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, User):
            reason = self._ended(request, timezone.now())
            if reason is not None:
                self._end(request, user, reason)
        response = self.get_response(request)
        # After the page, so that signing in starts the clock with its own response.
        if isinstance(request.user, User):
            self._seen(request, timezone.now())
        return response

    @staticmethod
    def _ended(request: HttpRequest, now: datetime) -> str | None:
        started = _at(request.session.get(STARTED_KEY))
        seen = _at(request.session.get(SEEN_KEY))
        if started is not None and now - started > lifetime_limit():
            return LIFETIME
        if seen is not None and now - seen > idle_limit():
            return IDLE
        return None

    @staticmethod
    def _seen(request: HttpRequest, now: datetime) -> None:
        session = request.session
        stamp = now.timestamp()
        if STARTED_KEY not in session:
            session[STARTED_KEY] = stamp
        seen = _at(session.get(SEEN_KEY))
        if seen is None or now - seen >= SEEN_EVERY:
            session[SEEN_KEY] = stamp

    @staticmethod
    def _end(request: HttpRequest, user: User, reason: str) -> None:
        # Not django.contrib.auth.logout: this is not the person signing out, and the audit
        # log records it as what it is.
        request.session.flush()
        request.user = AnonymousUser()
        request.session[ENDED_KEY] = reason
        audit_security_event(
            action=SecurityAction.SESSION_ENDED, user=user, detail={"reason": reason}
        )


# --- ending every session of a user -------------------------------------------------------


def sessions_end(account: User) -> None:
    """End every session of ``account`` at its next request: a new session stamp. The
    caller saves ``session_stamp``, in the transaction that audits why."""
    account.session_stamp = secrets.token_hex(STAMP_BYTES)


def sessions_end_everywhere(*, user: User) -> None:
    """Sign the user out of every device, this one included."""
    with transaction.atomic(durable=True):
        current = User.objects.select_for_update().get(pk=user.pk)
        sessions_end(current)
        current.save(update_fields=["session_stamp"])
        audit_record(user=current, action=SecurityAction.SIGNED_OUT_EVERYWHERE, obj=current)
    user.session_stamp = current.session_stamp
