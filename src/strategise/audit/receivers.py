"""Django's sign-in signals and Axes' lockout, recorded as security events (and nothing
else)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from strategise.audit.models import SecurityAction
from strategise.audit.services import audit_security_event
from strategise.organisations.models import User


@receiver(user_logged_in, dispatch_uid="audit-signed-in")
def record_signed_in(sender: object, user: User, **kwargs: Any) -> None:
    audit_security_event(action=SecurityAction.SIGNED_IN, user=user)


@receiver(user_login_failed, dispatch_uid="audit-sign-in-failed")
def record_sign_in_failed(sender: object, credentials: dict[str, Any], **kwargs: Any) -> None:
    # Django has already masked the password in ``credentials``; only the username is kept.
    tried = credentials.get("username")
    audit_security_event(
        action=SecurityAction.SIGN_IN_FAILED,
        username_tried=str(tried) if tried is not None else "",
    )


@receiver(user_logged_out, dispatch_uid="audit-signed-out")
def record_signed_out(sender: object, user: User | None, **kwargs: Any) -> None:
    audit_security_event(
        action=SecurityAction.SIGNED_OUT, user=user if isinstance(user, User) else None
    )


@receiver(user_locked_out, dispatch_uid="audit-locked-out")
def record_locked_out(
    sender: object,
    request: HttpRequest,
    username: str | None,
    ip_address: str | None,
    **kwargs: Any,
) -> None:
    # Axes also says so at each try while locked out; the lockout itself is recorded once,
    # when it begins (the tries are recorded as failed sign-ins).
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None:
        return
    audit_security_event(
        action=SecurityAction.LOCKED_OUT,
        username_tried=username or "",
        detail={"failures": failures},
    )
