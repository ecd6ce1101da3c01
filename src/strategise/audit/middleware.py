"""Remember where each web request comes from, for the audit events it causes."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from strategise.audit.services import where_from


def remember_where_from(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware: audit events written while handling a request carry its address."""

    def middleware(request: HttpRequest) -> HttpResponse:
        with where_from(request.META.get("REMOTE_ADDR")):
            return get_response(request)

    return middleware
