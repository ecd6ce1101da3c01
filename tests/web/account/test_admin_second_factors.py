"""The admin site never shows an authenticator app's secret: not its key, its set-up page
or its QR code, even to a superuser, and a device that does not exist is refused the same
way rather than failing."""

from __future__ import annotations

import pytest
from django.test import Client

from strategise.organisations.models import User
from tests.second_factor import app_device

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(administrator: User) -> User:
    administrator.is_superuser = True
    administrator.save(update_fields=["is_superuser"])
    return administrator


def test_the_admin_site_shows_no_authenticator_secret(
    client: Client, superuser: User, social_worker: User
) -> None:
    device = app_device(social_worker)
    client.force_login(superuser)
    base = f"/admin/otp_totp/totpdevice/{device.pk}"
    change = client.get(f"{base}/change/")
    assert change.status_code == 200
    assert device.key not in change.content.decode()
    assert "qrcode" not in change.content.decode()
    assert client.get(f"{base}/config/").status_code == 403
    assert client.get(f"{base}/qrcode/").status_code == 403


def test_a_missing_device_is_refused_not_a_server_error(client: Client, superuser: User) -> None:
    client.force_login(superuser)
    assert client.get("/admin/otp_totp/totpdevice/999999/config/").status_code == 403
    assert client.get("/admin/otp_totp/totpdevice/999999/qrcode/").status_code == 403
