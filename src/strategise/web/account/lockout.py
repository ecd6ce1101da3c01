"""What a locked-out sign-in sees: the sign-in page, saying why and for how long.

Axes (``AXES_LOCKOUT_CALLABLE``) calls ``lockout_response`` instead of showing the page
the sign-in form would have shown, on the service's sign-in page and on the admin site's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from axes.helpers import get_client_ip_address, get_client_username
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from strategise.organisations.lockout import LockedBy, Lockout, lockout_of
from strategise.policy.wording import format_time
from strategise.web.account.forms import SignInForm

TOO_MANY_REQUESTS = 429


def lockout_message(lockout: Lockout, now: datetime) -> str:
    """Why signing in is refused, until when, and what to do."""
    minutes = lockout.minutes_left(now)
    wait = f"{minutes} minute{'' if minutes == 1 else 's'}"
    when = f"Try again after {format_time(lockout.until)} (in {wait})"
    if lockout.by == LockedBy.ADDRESS:
        return (
            "Signing in from your network has been stopped for a while because of too many "
            f"wrong passwords. {when}, or ask your administrator for help"
        )
    return (
        "This account has been locked because the password was wrong "
        f"{settings.STRATEGISE_LOCKOUT_FAILURES} times. {when}, or ask your administrator "
        "to unlock it"
    )


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The sign-in page with the lockout as its error (429 Too Many Requests)."""
    now = timezone.now()
    username = get_client_username(request, credentials)
    lockout = lockout_of(username=username, address=get_client_ip_address(request), now=now)
    message = (
        lockout_message(lockout, now)
        if lockout is not None
        else "Too many wrong passwords. Wait a few minutes, then try again"
    )
    form = SignInForm(request, data=None, initial={"username": username or ""})
    return render(
        request,
        "web/account/sign_in.html",
        {
            "form": form,
            "errors": {"username": message},
            "error_summary": [{"text": message, "href": "#username"}],
            "next": request.POST.get("next", ""),
            "locked": True,
        },
        status=TOO_MANY_REQUESTS,
    )
