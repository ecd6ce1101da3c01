"""Signing webhooks as the Standard Webhooks specification does (standardwebhooks.com).

Every request carries three headers:

* ``webhook-id``: the event's id (``evt_…``), the same on every retry and replay;
* ``webhook-timestamp``: when this try was signed, in whole seconds since 1970 (UTC);
* ``webhook-signature``: ``v1,`` and the base64 HMAC-SHA256, under the endpoint's secret,
  of ``{webhook-id}.{webhook-timestamp}.{body}`` (the body byte for byte as sent).

The secret is ``whsec_`` and the key in base64, as the specification's libraries take it,
so a receiver may check a signature with any of them, or with ``signature_valid`` below.
A receiver should refuse a timestamp more than five minutes from its own clock (a replayed
capture) and a signature that does not match.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"  # noqa: S105 (the form of a secret, not one)
SECRET_BYTES = 24
TOLERANCE_SECONDS = 5 * 60


def secret_make() -> str:
    """A new endpoint secret."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(*, secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header's value for one try."""
    signed = f"{event_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(*, secret: str, event_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three headers of a signed try."""
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(
            secret=secret, event_id=event_id, timestamp=timestamp, body=body
        ),
    }


def signature_valid(*, secret: str, headers: dict[str, str], body: bytes, now: int) -> bool:
    """Whether a request's headers sign its body under ``secret``, signed within the
    tolerance of ``now`` (what a receiver checks). The header may carry several
    space-separated signatures (while a secret is rotated); one matching is enough."""
    lowered = {name.lower(): value for name, value in headers.items()}
    try:
        event_id = lowered["webhook-id"]
        timestamp = int(lowered["webhook-timestamp"])
        offered = lowered["webhook-signature"].split()
    except (KeyError, ValueError):
        return False
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = signature(secret=secret, event_id=event_id, timestamp=timestamp, body=body)
    return any(hmac.compare_digest(expected, candidate) for candidate in offered)
