"""The HTTP client that sends a webhook: one POST, with timeouts, never a redirect.

It is given the body and headers already signed, and knows nothing of the secret, so no
error, log line or attempt record it makes can hold it. A redirect is refused (not
followed): a receiver that moved is told by its failing deliveries, and a signed body is
never carried to an address nobody configured. Only the first ``EXCERPT`` characters of
the answer are read and kept.

Given ``address``, it connects to that address (the one ``addresses.target`` checked)
while naming the host in the ``Host`` header, TLS's server name and the certificate's
check, so a second lookup of the name cannot send the try somewhere else.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 10.0
EXCERPT = 500
USER_AGENT = "Strategise-Webhooks/1"


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    excerpt: str
    error: str
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _read(response: Any) -> str:
    return response.read(EXCERPT * 4).decode("utf-8", errors="replace")[:EXCERPT]


def _connection(url: str, address: str | None, timeout: float) -> http.client.HTTPConnection:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port
    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    elif parts.scheme == "http":
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
    else:
        raise ValueError(f"unknown scheme {parts.scheme!r}")
    if address is not None:
        pinned = address

        def create_connection(where: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
            return socket.create_connection((pinned, where[1]), *args, **kwargs)

        connection._create_connection = create_connection  # type: ignore[attr-defined]
    return connection


def post(
    *,
    url: str,
    body: bytes,
    headers: dict[str, str],
    timeout: float = TIMEOUT_SECONDS,
    address: str | None = None,
) -> Answer:
    """POST ``body`` to ``url`` (connecting to ``address``, if given); what came back, or
    what went wrong (never raised)."""
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection = _connection(url, address, timeout)
        try:
            connection.request(
                "POST",
                path,
                body=body,
                headers={
                    "Content-Type": "application/json",
                    "User-Agent": USER_AGENT,
                    **headers,
                },
            )
            response = connection.getresponse()
            excerpt = _read(response)
        finally:
            connection.close()
    except (OSError, http.client.HTTPException, ValueError) as error:
        reason = "timed out" if isinstance(error, TimeoutError) else error
        return Answer(None, "", f"{type(error).__name__}: {reason}"[:300], elapsed())
    code = response.status
    if 200 <= code < 300:
        return Answer(code, excerpt, "", elapsed())
    refused = " (redirects are not followed)" if 300 <= code < 400 else ""
    return Answer(code, excerpt, f"HTTP {code}{refused}", elapsed())
