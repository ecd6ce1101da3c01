"""The audit key comes from the environment: required outside debug, never stored."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test import override_settings

from strategise.audit.checks import audit_key_check
from strategise.audit.models import AuditEvent
from strategise.audit.sealing import DEVELOPMENT_KEY
from strategise.audit.services import audit_record


def _run(code: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "STRATEGISE_")) and key != "DATABASE_URL"
    }
    return subprocess.run(  # noqa: S603 - a fixed command line
        [sys.executable, "-c", code],
        env=clean | {"DJANGO_SETTINGS_MODULE": "strategise.config.settings"} | env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_debug_start_up_is_refused_until_the_key_is_set(tmp_path: Path) -> None:
    check = "import django; from django.core.management import call_command; "
    check += "django.setup(); call_command('check')"
    result = _run(check, {"DJANGO_SECRET_KEY": "a-production-secret-key"}, tmp_path)
    assert result.returncode != 0
    assert "(strategise.audit.E001) STRATEGISE_AUDIT_KEY is not set" in result.stderr
    keyed = _run(
        check,
        {
            "DJANGO_SECRET_KEY": "a-production-secret-key",
            "STRATEGISE_AUDIT_KEY": "k" * 40,
            "STRATEGISE_FIELD_KEY": "cHJvZHVjdGlvbi1zaGFwZWQtZmllbGQta2V5LXRlc3Q=",
        },
        tmp_path,
    )
    assert keyed.returncode == 0, keyed.stderr


def test_debug_uses_the_development_key(tmp_path: Path) -> None:
    result = _run(
        "import strategise.config.settings as s; print(s.STRATEGISE_AUDIT_KEY)",
        {"DJANGO_DEBUG": "1"},
        tmp_path,
    )
    assert result.stdout.strip() == DEVELOPMENT_KEY


@pytest.mark.parametrize(
    ("key", "debug", "message"),
    [
        ("", False, "STRATEGISE_AUDIT_KEY is not set: the audit log is sealed with it."),
        ("short", False, "STRATEGISE_AUDIT_KEY is 5 characters long; it must be at least 32."),
        (DEVELOPMENT_KEY, False, "STRATEGISE_AUDIT_KEY is the development key, which is public."),
    ],
)
def test_the_check_names_the_variable_and_the_problem(key: str, debug: bool, message: str) -> None:
    with override_settings(STRATEGISE_AUDIT_KEY=key, DEBUG=debug):
        (error,) = audit_key_check()
    assert error.msg == message
    assert error.hint is not None and "DJANGO_DEBUG=1" in error.hint


def test_the_check_passes_a_long_key_and_the_development_key_in_debug() -> None:
    with override_settings(STRATEGISE_AUDIT_KEY="k" * 32, DEBUG=False):
        assert audit_key_check() == []
    with override_settings(STRATEGISE_AUDIT_KEY=DEVELOPMENT_KEY, DEBUG=True):
        assert audit_key_check() == []


@pytest.mark.django_db
def test_no_event_is_written_without_a_key() -> None:
    with (
        override_settings(STRATEGISE_AUDIT_KEY=""),
        pytest.raises(ImproperlyConfigured, match="STRATEGISE_AUDIT_KEY is not set"),
        transaction.atomic(),
    ):
        audit_record(user=None, action="view", object_type="test")
    assert not AuditEvent.objects.exists()
