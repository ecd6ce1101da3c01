"""Remember where each web request comes from, for the audit events it causes."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from strategise.audit.services import where_from


def client_address(request: HttpRequest) -> str | None:
    """Where a request came from: the socket's address, or, behind the TLS proxy
    (``DJANGO_BEHIND_TLS_PROXY``), the address that proxy saw: the last one it appended to
    ``X-Forwarded-For`` (those before it are whatever the client claimed)."""
    if settings.STRATEGISE_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


def remember_where_from(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware: audit events written while handling a request carry its address."""

    def middleware(request: HttpRequest) -> HttpResponse:
        with where_from(client_address(request)):
            return get_response(request)

    return middleware
