"""Signing in with a second factor in tests: a real authenticator-app device per user.

Every page but the public ones needs a second factor, so the suite's ``client`` (see
``tests/conftest.py``) is a ``VerifiedClient``: its ``force_login`` also gives the user
a confirmed TOTP device and records in the session that they have just passed it, as the
second-factor page does. A test about the second factor itself signs in through the form.
"""

from __future__ import annotations

from datetime import datetime

from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from strategise.organisations.models import User
from strategise.organisations.second_factor import APP, APP_DEVICE_NAME
from strategise.web.account.verification import session_mark_verified


def app_device(user: User) -> TOTPDevice:
    """The user's authenticator app, set up (confirmed)."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": APP_DEVICE_NAME}
    )
    return device


def app_code(device: TOTPDevice, at: datetime | None = None) -> str:
    """The six digits the device's app shows at ``at`` (now if not given)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = (at or timezone.now()).timestamp()
    return f"{totp.token():06d}"


class VerifiedClient(Client):
    """A test client whose ``force_login`` also passes the user's second factor."""

    def force_login(self, user: User, backend: str | None = None) -> None:
        super().force_login(user, backend)
        app_device(user)
        session = self.session
        session_mark_verified(session, user=user, method=APP)
        session.save()
