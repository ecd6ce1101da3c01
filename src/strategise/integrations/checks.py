"""The field key, outside debug mode: without one, a warning (the instance serves, but no
webhook endpoint can be added and none is sent: ``integrations.services``); keys that are
not Fernet keys, or the public development key, are errors."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from strategise.integrations.encryption import (
    DEVELOPMENT_KEY,
    GENERATE,
    KEY_SETTING,
    configured_keys,
    key_problem,
)

HINT = (
    f"Set it to a key made by `{GENERATE}` (more than one, separated by commas, while "
    "rotating: the first encrypts), kept outside the database, or set DJANGO_DEBUG=1 to run "
    "locally with a development key."
)


@register(Tags.security, deploy=False)
def field_key_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    keys = configured_keys()
    if not keys:
        return [
            Warning(
                f"{KEY_SETTING} is not set: webhook endpoints' secrets are encrypted with it, "
                "so no endpoint can be added and no webhook is sent until it is.",
                hint=HINT,
                id="strategise.integrations.W001",
            )
        ]
    for number, key in enumerate(keys, start=1):
        if problem := key_problem(key):
            return [
                Error(
                    f"{KEY_SETTING}'s key {number} {problem}.",
                    hint=HINT,
                    id="strategise.integrations.E002",
                )
            ]
    if DEVELOPMENT_KEY in keys and not settings.DEBUG:
        return [
            Error(
                f"{KEY_SETTING} holds the development key, which is public.",
                hint=HINT,
                id="strategise.integrations.E003",
            )
        ]
    return []
