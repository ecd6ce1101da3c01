"""Whether this session has passed its second factor, and the pages that insist on one.

Signing in takes a password and then a second factor: a code from an authenticator app,
a passkey or a recovery code. The session records who passed it, how and when.
``SecondFactorMiddleware`` sends a signed-in user who has not yet passed it to the
second-factor page from every page but the public ones (which are ``login_not_required``)
and the second-factor pages themselves (``second_factor_not_required``), in debug or not.
``require_recent_second_factor`` asks again before the most sensitive actions when the
last one was more than 15 minutes ago.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any, overload
from urllib.parse import urlencode

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.deprecation import MiddlewareMixin
from django.utils.http import url_has_allowed_host_and_scheme

from strategise.organisations.models import User

SESSION_KEY = "strategise_second_factor"
STEP_UP_AFTER = timedelta(minutes=15)

type View = Callable[..., HttpResponse]


def session_mark_verified(session: SessionBase, *, user: User, method: str) -> None:
    """Record in ``session`` that ``user`` has just passed their second factor by ``method``."""
    session[SESSION_KEY] = {"user": user.pk, "method": method, "at": timezone.now().timestamp()}


def verified_at(request: HttpRequest) -> datetime | None:
    """When the signed-in user last passed their second factor in this session, if ever."""
    record = request.session.get(SESSION_KEY)
    if not isinstance(record, dict) or record.get("user") != request.user.pk:
        return None
    return datetime.fromtimestamp(record["at"], UTC)


def verified(request: HttpRequest) -> bool:
    return verified_at(request) is not None


def verified_recently(request: HttpRequest) -> bool:
    """Whether the last second factor was at most 15 minutes ago."""
    at = verified_at(request)
    return at is not None and timezone.now() - at <= STEP_UP_AFTER


def safe_next(request: HttpRequest, default: str = "web:my-work") -> str:
    """Where to go afterwards: the ``next`` asked for, if it is on this site."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse(default)


def second_factor_redirect(request: HttpRequest, name: str = "web:second-factor") -> HttpResponse:
    """To a second-factor page, and back here (the page, for a form that was posted)."""
    back = request.get_full_path() if request.method == "GET" else request.path
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': back})}")


def second_factor_not_required[V: View](view: V) -> V:
    """Mark a view open to a signed-in user who has not passed their second factor yet."""
    view.second_factor_required = False  # type: ignore[attr-defined]
    return view


class SecondFactorMiddleware(MiddlewareMixin):
    """Send a signed-in user who has not passed their second factor to do so first."""

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: list[Any],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return None
        if not getattr(view_func, "login_required", True):
            return None
        if not getattr(view_func, "second_factor_required", True):
            return None
        if verified(request):
            return None
        return second_factor_redirect(request)


def posted(button: str) -> Callable[[HttpRequest], bool]:
    """A condition: the form was posted with the button called ``button``."""

    def condition(request: HttpRequest) -> bool:
        return request.method == "POST" and button in request.POST

    return condition


@overload
def require_recent_second_factor(view: View, /) -> View: ...
@overload
def require_recent_second_factor(
    *, when: Callable[[HttpRequest], bool]
) -> Callable[[View], View]: ...
def require_recent_second_factor(
    view: View | None = None, /, *, when: Callable[[HttpRequest], bool] | None = None
) -> View | Callable[[View], View]:
    """Before the view (or, with ``when``, only when it holds), ask for a second factor
    again if the last was more than 15 minutes ago, then come back."""

    def decorate(view: View) -> View:
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if (when is None or when(request)) and not verified_recently(request):
                return second_factor_redirect(request)
            return view(request, *args, **kwargs)

        return checked

    return decorate(view) if view is not None else decorate
