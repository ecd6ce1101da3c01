"""The demo's second factor: one published authenticator-app secret for every demo account.

The secret is public (docs/demo.md), like the demo password, so only the demo loader,
which refuses to run without debug, gives it to anyone. ``manage.py demo_code`` prints the
code it shows now, so a newcomer needs no authenticator app to try the demo.
"""

from __future__ import annotations

from base64 import b32decode
from datetime import datetime

from django_otp.oath import TOTP

# 32 letters of base 32: what a person types into an authenticator app by hand.
DEMO_TOTP_SECRET = "STRATEGISEDEMOTOTPSECRETFORDEMOS"  # noqa: S105 (published on purpose)
# The same secret as django-otp stores it (hexadecimal).
DEMO_TOTP_KEY = b32decode(DEMO_TOTP_SECRET).hex()
STEP_SECONDS = 30


def demo_code(at: datetime) -> str:
    """The six-digit code every demo account's authenticator app shows at ``at``."""
    totp = TOTP(b32decode(DEMO_TOTP_SECRET), step=STEP_SECONDS)
    totp.time = at.timestamp()
    return f"{totp.token():06d}"


def demo_code_seconds_left(at: datetime) -> int:
    """How many seconds the code shown at ``at`` has left before the next one."""
    return STEP_SECONDS - int(at.timestamp()) % STEP_SECONDS
