"""The HTTP client that sends a webhook: one POST, with timeouts, never a redirect.

It is given the body and headers already signed, and knows nothing of the secret, so no
error, log line or attempt record it makes can hold it. A redirect is refused (not
followed): a receiver that moved is told by its failing deliveries, and a signed body is
never carried to an address nobody configured. Only the first ``EXCERPT`` characters of
the answer are read and kept.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

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


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises the 3xx as an HTTPError: a failed try


_opener = urllib.request.build_opener(_NoRedirects)


def _read(response: Any) -> str:
    return response.read(EXCERPT * 4).decode("utf-8", errors="replace")[:EXCERPT]


def post(
    *, url: str, body: bytes, headers: dict[str, str], timeout: float = TIMEOUT_SECONDS
) -> Answer:
    """POST ``body`` to ``url``; what came back, or what went wrong (never raised)."""
    request = urllib.request.Request(  # noqa: S310 (the endpoint's scheme is checked when made)
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
    )
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        with _opener.open(request, timeout=timeout) as response:
            return Answer(response.status, _read(response), "", elapsed())
    except urllib.error.HTTPError as error:
        excerpt = _read(error) if error.fp is not None else ""
        refused = " (redirects are not followed)" if 300 <= error.code < 400 else ""
        return Answer(error.code, excerpt, f"HTTP {error.code}{refused}", elapsed())
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return Answer(None, "", f"{type(error).__name__}: {reason}"[:300], elapsed())
