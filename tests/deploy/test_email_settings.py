"""Without debug, email goes by SMTP over TLS, and the console backend is refused."""

from __future__ import annotations

import json
from pathlib import Path

from tests.deploy.support import manage, run_python

PRODUCTION = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "a-long-random-production-key"}
PRINT_MAILER = (
    "import json, strategise.config.settings as s; print(json.dumps(s.MAILERS['default']))"
)


def _mailer(env: dict[str, str], cwd: Path) -> dict[str, object]:
    result = run_python(["-c", PRINT_MAILER], env, cwd)
    assert result.returncode == 0, result.stderr
    mailer: dict[str, object] = json.loads(result.stdout)
    return mailer


def test_without_debug_email_goes_by_smtp_with_tls(tmp_path: Path) -> None:
    mailer = _mailer(PRODUCTION, tmp_path)
    assert mailer["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert mailer["OPTIONS"] == {
        "host": "localhost",
        "port": 25,
        "username": "",
        "password": "",
        "use_tls": True,
    }


def test_tls_may_be_turned_off_for_a_relay_on_the_same_machine(tmp_path: Path) -> None:
    mailer = _mailer(PRODUCTION | {"EMAIL_USE_TLS": "0", "EMAIL_PORT": "1025"}, tmp_path)
    assert mailer["OPTIONS"] == {
        "host": "localhost",
        "port": 1025,
        "username": "",
        "password": "",
        "use_tls": False,
    }


def test_while_debugging_email_is_printed(tmp_path: Path) -> None:
    mailer = _mailer({"DJANGO_DEBUG": "1"}, tmp_path)
    assert mailer == {"BACKEND": "django.core.mail.backends.console.EmailBackend", "OPTIONS": {}}


def test_a_port_that_is_not_a_number_is_named(tmp_path: Path) -> None:
    result = run_python(["-c", PRINT_MAILER], PRODUCTION | {"EMAIL_PORT": "smtp"}, tmp_path)
    assert result.returncode != 0
    assert "EMAIL_PORT must be a whole number, 0 or more, not 'smtp'" in result.stderr


def test_the_console_backend_is_refused_without_debug(tmp_path: Path) -> None:
    console = {"DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    result = manage(["check"], PRODUCTION | console, tmp_path)
    assert result.returncode != 0
    assert "(strategise.E001) DJANGO_EMAIL_BACKEND is the console backend" in result.stderr
    assert "django.core.mail.backends.smtp.EmailBackend" in result.stderr


def test_the_console_backend_is_fine_while_debugging(tmp_path: Path) -> None:
    result = manage(["check"], {"DJANGO_DEBUG": "1"}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
