"""A second factor for every account: an authenticator app (TOTP) and recovery codes.

The devices are django-otp's: a TOTP device for the app, and a static device holding ten
single-use recovery codes. Passkeys, the other second factor, are in ``passkeys.py``.
Each service runs in one transaction with its audit event. A wrong code is recorded (and
counted by django-otp's throttling) before the problem is raised, so the record of a
failed attempt is never rolled back with it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from strategise.organisations.models import Passkey, User
from strategise.organisations.security_events import (
    RECOVERY_CODE_USED,
    RECOVERY_CODES_ISSUED,
    SECOND_FACTOR_ENROLLED,
    SECOND_FACTOR_FAILED,
    SECOND_FACTOR_SET_UP_STARTED,
    SECOND_FACTOR_USED,
    security_event_record,
)
from strategise.problems import Problem

APP = "authenticator app"
RECOVERY_CODE = "recovery code"
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10
CODE_DIGITS = 6


@dataclass(frozen=True)
class SecondFactors:
    """Which second factors a user has set up."""

    app: bool
    passkeys: int
    recovery_codes: int

    @property
    def any(self) -> bool:
        """Whether the user has a way to sign in (recovery codes alone are not one)."""
        return self.app or self.passkeys > 0


def second_factors_of(*, user: User) -> SecondFactors:
    """The user's confirmed second factors, and how many recovery codes they have left."""
    return SecondFactors(
        app=TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        passkeys=Passkey.objects.filter(user=user).count(),
        recovery_codes=StaticToken.objects.filter(
            device__user=user, device__confirmed=True
        ).count(),
    )


def app_code(text: str) -> int:
    """The six digits of an authenticator app's code, however they were typed, or a problem."""
    digits = "".join(text.split()).replace("-", "")
    if not digits:
        raise Problem("Enter the 6-digit code from your authenticator app", "code")
    if not digits.isdigit() or len(digits) != CODE_DIGITS:
        raise Problem(
            "The code must be the 6 numbers your authenticator app shows, like 123456", "code"
        )
    return int(digits)


def second_factor_enrol_totp(*, user: User) -> TOTPDevice:
    """The authenticator app the user is setting up: a new secret, or the one already shown."""
    with transaction.atomic():
        if second_factors_of(user=user).any:
            raise Problem("You have already set up a second factor: use it to sign in")
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
            security_event_record(
                user=user, action=SECOND_FACTOR_SET_UP_STARTED, detail={"method": APP}
            )
        return device


def second_factor_confirm(*, user: User, code: str) -> None:
    """Confirm the app being set up with a code it shows: from now on it is required."""
    token = app_code(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
        if device is None:
            raise Problem(
                "There is no authenticator app being set up: start again from the set-up page",
                "code",
            )
        problem = _refusal(device, token)
        if problem is None:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            security_event_record(user=user, action=SECOND_FACTOR_ENROLLED, detail={"method": APP})
            return
        security_event_record(
            user=user, action=SECOND_FACTOR_FAILED, detail={"method": APP, "setting_up": True}
        )
    raise problem


def second_factor_verify(*, user: User, code: str) -> None:
    """Check a code from the user's authenticator app; a code is accepted only once."""
    token = app_code(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            raise Problem("You have not set up an authenticator app: use your passkey", "code")
        problem = _refusal(device, token)
        if problem is None:
            security_event_record(user=user, action=SECOND_FACTOR_USED, detail={"method": APP})
            return
        security_event_record(user=user, action=SECOND_FACTOR_FAILED, detail={"method": APP})
    raise problem


def _refusal(device: TOTPDevice, token: int) -> Problem | None:
    """Why the device refuses the code (None if it accepts it, which uses the code up)."""
    throttled = _throttled(device)
    if throttled is not None:
        return throttled
    if _already_used(device, token):
        device.throttle_increment(commit=True)
        return Problem(
            "That code has already been used. Wait for your authenticator app to show a new "
            "code, then enter it",
            "code",
        )
    if device.verify_token(token):
        return None
    return Problem(
        "The code is not right. Enter the code your authenticator app shows now, for "
        "Strategise and this username",
        "code",
    )


def _throttled(device: StaticDevice | TOTPDevice) -> Problem | None:
    """After wrong codes, django-otp makes each next try wait longer (1, 2, 4... seconds)."""
    allowed, why = device.verify_is_allowed()
    if allowed or why is None:
        return None
    seconds = max(1, math.ceil((why["locked_until"] - timezone.now()).total_seconds()))
    failures = why["failure_count"]
    wrong = "a wrong code" if failures == 1 else f"{failures} wrong codes in a row"
    return Problem(
        f"You have entered {wrong}. Wait {seconds} {'second' if seconds == 1 else 'seconds'}, "
        "then try again",
        "code",
    )


def _already_used(device: TOTPDevice, token: int) -> bool:
    """Whether ``token`` is a code the device would accept but for its having been used."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    for offset in range(-device.tolerance, device.tolerance + 1):
        totp.drift = device.drift + offset
        if totp.t() <= device.last_t and totp.token() == token:
            return True
    return False


def recovery_codes_issue(*, user: User) -> list[str]:
    """Ten new single-use recovery codes (any old ones stop working), to be shown once."""
    with transaction.atomic():
        device, _ = StaticDevice.objects.select_for_update().get_or_create(
            user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes: set[str] = set()
        while len(codes) < RECOVERY_CODE_COUNT:
            codes.add(StaticToken.random_token())
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
        security_event_record(
            user=user, action=RECOVERY_CODES_ISSUED, detail={"count": RECOVERY_CODE_COUNT}
        )
    return sorted(codes)


def recovery_code_use(*, user: User, code: str) -> int:
    """Sign in with a recovery code, which then stops working; how many are left."""
    token = "".join(code.split()).replace("-", "").lower()
    if not token:
        raise Problem("Enter one of your recovery codes", "code")
    with transaction.atomic():
        device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            raise Problem(
                "You have no recovery codes. Ask your administrator to reset your second factor",
                "code",
            )
        problem = _throttled(device)
        if problem is None and device.verify_token(token):
            left = device.token_set.count()
            security_event_record(user=user, action=RECOVERY_CODE_USED, detail={"left": left})
            return left
        problem = problem or Problem(
            "That is not one of your recovery codes, or it has been used. Each code works once",
            "code",
        )
        security_event_record(
            user=user, action=SECOND_FACTOR_FAILED, detail={"method": RECOVERY_CODE}
        )
    raise problem


def demo_devices_create(*, users: Iterable[User], key: str) -> None:
    """Give demo accounts an authenticator app already set up, sharing one published secret.

    Only the demo loader calls this, and it refuses to run without debug.
    """
    with transaction.atomic():
        for user in users:
            TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, key=key, confirmed=True)
            security_event_record(
                user=user, action=SECOND_FACTOR_ENROLLED, detail={"method": APP, "demo": True}
            )
