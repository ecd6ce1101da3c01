"""The address a request comes from, behind the TLS proxy.

Behind the proxy (docs/deploy.md), every request reaches gunicorn from the proxy, so
``REMOTE_ADDR`` is the proxy's address for everyone: the lockout by address would then stop
everyone at once after twenty wrong passwords from anyone, and the audit log would record
the proxy. The proxy sends the client's address in ``X-Forwarded-For``. This middleware,
first of all, puts that address in ``REMOTE_ADDR`` — but only for a request that comes
from one of ``STRATEGISE_PROXY_ADDRESSES`` (set only with ``DJANGO_BEHIND_TLS_PROXY``);
from anywhere else the header is ignored, so nobody can choose their own address. The
address taken is the last in the header: the one the proxy added, whatever a client sent
before it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Where the proxy's own address is kept, once REMOTE_ADDR holds the client's.
PROXY_KEY = "STRATEGISE_PROXY_ADDR"


def forwarded_client(peer: str | None, forwarded: str, proxies: list[str]) -> str | None:
    """The client's address the proxy at ``peer`` forwarded, or None if ``peer`` is not a
    trusted proxy or the header holds no address."""
    if peer is None or peer not in proxies:
        return None
    last = forwarded.rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(last))
    except ValueError:
        return None


class ClientAddressMiddleware:
    """Behind a trusted proxy, ``REMOTE_ADDR`` becomes the client's address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        client = forwarded_client(
            meta.get("REMOTE_ADDR"),
            meta.get("HTTP_X_FORWARDED_FOR", ""),
            settings.STRATEGISE_PROXY_ADDRESSES,
        )
        if client is not None:
            meta[PROXY_KEY] = meta["REMOTE_ADDR"]
            meta["REMOTE_ADDR"] = client
        return self.get_response(request)
