"""Where each web request comes from, and the pages it was refused."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse

from strategise.audit.models import SecurityAction
from strategise.audit.services import audit_security_event, where_from
from strategise.organisations.models import User


def client_address(request: HttpRequest) -> str | None:
    """Where a request came from: ``REMOTE_ADDR``, which behind the TLS proxy
    ``strategise.config.proxy.ClientAddressMiddleware`` (the first middleware) has made the
    address the proxy saw, and only for requests from ``STRATEGISE_PROXY_ADDRESSES``."""
    return request.META.get("REMOTE_ADDR")


class AuditMiddleware:
    """Audit events written while handling a request carry its address; a page that needs
    signing in and answers "not found" is recorded as refused access (who, which path).

    The public pages (those marked ``login_not_required``) are left out: anyone can ask
    for them, and recording every stranger's miss would let them flood the log.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with where_from(client_address(request)):
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        match = request.resolver_match
        if (
            isinstance(exception, Http404)
            and isinstance(request.user, User)
            and match is not None
            and getattr(match.func, "login_required", True)
        ):
            # The path only: a query string may hold what was searched for.
            audit_security_event(
                action=SecurityAction.ACCESS_REFUSED,
                user=request.user,
                detail={"path": request.path, "method": request.method},
            )
