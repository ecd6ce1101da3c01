"""Signing in with a second factor in tests: a real authenticator-app device per user.

Every page but the public ones needs a second factor, so the suite's ``client`` (see
``tests/conftest.py``) is a ``VerifiedClient``: its ``force_login`` also gives the user
a confirmed TOTP device and records in the session that they have just passed it, as the
second-factor page does. A test about the second factor itself signs in through the form.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from importlib import import_module

from django.conf import settings
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from strategise.organisations.models import User
from strategise.organisations.second_factor import APP, APP_DEVICE_NAME
from strategise.web.account.verification import SESSION_KEY, session_mark_verified
from tests.factories import PASSWORD


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


def unused_app_code(device: TOTPDevice) -> str:
    """A code the device will accept now: the current one, or, if that has just been used
    (the same person signing in twice in 30 seconds), the next, which it also accepts."""
    device.refresh_from_db()
    now = time.time()
    for offset in (0, 1):
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + offset)
        totp.time = now
        if totp.t() > device.last_t:
            return f"{totp.token():06d}"
    # Both used: wait for the next step.
    time.sleep(device.step - now % device.step + 0.1)
    return unused_app_code(device)


def sign_in_with_password(client: Client, user: User) -> None:
    """Sign in through the form, as a person does: the second factor is still to come."""
    response = client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password was refused"


def age_second_factor(session_key: str, by: timedelta) -> None:
    """Make the session's last second factor ``by`` longer ago (for a browser's session)."""
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    record = session[SESSION_KEY]
    session[SESSION_KEY] = {**record, "at": record["at"] - by.total_seconds()}
    session.save()


class VerifiedClient(Client):
    """A test client whose ``force_login`` also passes the user's second factor."""

    def force_login(self, user: User, backend: str | None = None) -> None:
        super().force_login(user, backend)
        app_device(user)
        session = self.session
        session_mark_verified(session, user=user, method=APP)
        session.save()
