"""The audit key must be set, and not be the development one, outside debug mode."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

from strategise.audit.sealing import DEVELOPMENT_KEY, KEY_SETTING, MINIMUM_KEY_LENGTH


@register(Tags.security, deploy=False)
def audit_key_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    key: str = getattr(settings, KEY_SETTING, "")
    hint = (
        "Set it to at least 32 random characters (for example from "
        "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`), kept outside the "
        "database, or set DJANGO_DEBUG=1 to run locally with a development key."
    )
    if not key:
        return [
            Error(
                f"{KEY_SETTING} is not set: the audit log is sealed with it.",
                hint=hint,
                id="strategise.audit.E001",
            )
        ]
    if len(key) < MINIMUM_KEY_LENGTH:
        return [
            Error(
                f"{KEY_SETTING} is {len(key)} characters long; it must be at least "
                f"{MINIMUM_KEY_LENGTH}.",
                hint=hint,
                id="strategise.audit.E002",
            )
        ]
    if key == DEVELOPMENT_KEY and not settings.DEBUG:
        return [
            Error(
                f"{KEY_SETTING} is the development key, which is public.",
                hint=hint,
                id="strategise.audit.E003",
            )
        ]
    return []
