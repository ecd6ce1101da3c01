"""How long a signed-in session lasts: it ends after a spell without a request
(``STRATEGISE_SESSION_IDLE_MINUTES``, 30 by default) and, however busy, after
``STRATEGISE_SESSION_MAX_HOURS`` (12) from signing in.

Ending every session of a user at once is not done here: each session keeps a hash of the
user's password and session stamp, which Django checks on every request
(``User._get_session_auth_hash``), so a new stamp ends them all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from strategise.audit.models import SecurityAction
from strategise.audit.services import audit_security_event
from strategise.organisations.models import User

STARTED_KEY = "strategise_session_started"
SEEN_KEY = "strategise_session_seen"
# Why the last session ended, for the sign-in page to say.
ENDED_KEY = "strategise_session_ended"
IDLE, LIFETIME = "idle", "lifetime"
# How stale "last seen" may be: saving the session at most once a minute rather than on
# every request costs the idle limit at most this much.
SEEN_EVERY = timedelta(minutes=1)


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
