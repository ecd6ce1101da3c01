"""``manage.py check --deploy`` with docs/deploy.md's production environment: no errors,
and only the warnings that page explains."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from cryptography.fernet import Fernet

from tests.deploy.support import ROOT, manage

DEPLOY = ROOT / "docs" / "deploy.md"
MARKER = "<!-- production environment: tests/deploy/test_check_deploy.py reads the block below -->"


def documented_environment() -> dict[str, str]:
    """The production environment file in docs/deploy.md, placeholders filled in."""
    text = DEPLOY.read_text()
    block = text.split(MARKER, 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    env: dict[str, str] = {}
    for line in block.splitlines():
        name, _, value = line.partition("=")
        if value.startswith("<"):
            # The field key is a Fernet key; the others are random text.
            fernet = name == "STRATEGISE_FIELD_KEY"
            value = Fernet.generate_key().decode() if fernet else secrets.token_urlsafe(50)
        env[name] = value
    return env


def test_the_documented_environment_names_every_production_setting() -> None:
    env = documented_environment()
    assert env["DJANGO_DEBUG"] == "0"
    assert env["DJANGO_TASKS_BACKEND"] == "django_tasks_rq.RQBackend"
    assert env["DJANGO_EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    documented = set(re.findall(r"^\| `([A-Z_]+)`", DEPLOY.read_text(), re.M))
    assert set(env) <= documented | {"EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER",
                                     "EMAIL_HOST_PASSWORD"}  # fmt: skip


def test_check_deploy_finds_no_error_and_only_the_explained_warnings(tmp_path: Path) -> None:
    result = manage(["check", "--deploy"], documented_environment(), tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "ERRORS:" not in output
    warnings = set(re.findall(r"\(([a-z_]+\.W\d+)\)", output))
    assert warnings == {"security.W008", "security.W021"}
    explained = DEPLOY.read_text()
    for warning in warnings:
        assert f"**{warning}**" in explained, f"{warning} is not explained in docs/deploy.md"


def test_check_deploy_refuses_the_console_backend_in_that_environment(tmp_path: Path) -> None:
    env = documented_environment() | {
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }
    result = manage(["check", "--deploy"], env, tmp_path)
    assert result.returncode != 0
    assert "(strategise.E001) DJANGO_EMAIL_BACKEND is the console backend" in result.stderr
