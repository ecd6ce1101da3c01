"""How an audit event is sealed: the content that is hashed, and the two schemes.

``sha256`` is the unkeyed scheme of the events written before the audit key existed:
anyone who can write to the database could rewrite one and recompute the chain after it.
``hmac-sha256`` seals each event with the key in ``STRATEGISE_AUDIT_KEY``, which is
never stored in the database, so rewriting an event means knowing the key.

This module is plain Python (no models), so the migration that sealed the old events
uses exactly the functions that verify them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

SHA256 = "sha256"
HMAC_SHA256 = "hmac-sha256"
GENESIS = "0" * 64
KEY_SETTING = "STRATEGISE_AUDIT_KEY"
MINIMUM_KEY_LENGTH = 32
# What settings use when DJANGO_DEBUG is on and no key is set; refused otherwise.
DEVELOPMENT_KEY = "strategise-development-audit-key-never-use-in-production"  # noqa: S105


def audit_key() -> bytes:
    """The key that seals audit events; refuses to go on without one."""
    key: str = getattr(settings, KEY_SETTING, "")
    if not key:
        raise ImproperlyConfigured(
            f"{KEY_SETTING} is not set: audit events cannot be sealed without it. Set it to "
            "a long random value kept outside the database, or set DJANGO_DEBUG=1 to run "
            "locally with a development key."
        )
    return key.encode()


@cache
def key_id(key: bytes) -> str:
    """A short name for a key (an HMAC of a fixed text), so verify can tell a wrong key
    from a changed event. It reveals nothing that would help recompute a seal."""
    return hmac.new(key, b"strategise audit key id", hashlib.sha256).hexdigest()[:16]


def content(event: Any) -> dict[str, Any]:
    """What an event's seal covers. Keyed events also cover their chain and place in it."""
    covered = {
        "at": event.at.isoformat(),
        "user": event.user_id,
        "action": str(event.action),
        "object_type": event.object_type,
        "object_id": event.object_id,
        "child_ids": event.child_ids,
        "remote_addr": event.remote_addr,
        "detail": event.detail,
    }
    if event.scheme == HMAC_SHA256:
        covered["authority"] = event.local_authority_id
        covered["sequence"] = event.sequence
    return covered


def seal(*, scheme: str, key: bytes, previous_hash: str, covered: dict[str, Any]) -> str:
    """The hash of an event: over the previous event's hash and its own content."""
    canonical = json.dumps(covered, sort_keys=True, separators=(",", ":"), default=str)
    message = f"{previous_hash}\n{canonical}".encode()
    if scheme == SHA256:
        return hashlib.sha256(message).hexdigest()
    if scheme == HMAC_SHA256:
        return hmac.new(key, message, hashlib.sha256).hexdigest()
    raise ValueError(f"unknown audit sealing scheme {scheme!r}")
