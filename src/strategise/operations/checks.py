"""System checks a deployment must pass (``manage.py check``; docs/deploy.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

CONSOLE = "django.core.mail.backends.console.EmailBackend"


@checks.register(checks.Tags.security)
def email_backend_check(**kwargs: Any) -> list[checks.CheckMessage]:
    """Without debug, refuse the console email backend: it would write invitation links and
    minutes into the log, where anyone who reads the log could follow them."""
    if settings.DEBUG:
        return []
    return [
        checks.Error(
            f"DJANGO_EMAIL_BACKEND is the console backend for the mailer {alias!r}, which "
            "prints every email, with its sign-in links and minutes, to the log.",
            hint=(
                "Set DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and the "
                "EMAIL_* variables (docs/deploy.md), or set DJANGO_DEBUG=1 on a development "
                "machine."
            ),
            id="strategise.E001",
        )
        for alias, mailer in settings.MAILERS.items()
        if mailer.get("BACKEND") == CONSOLE
    ]


LOCAL_MEMORY = "django.core.cache.backends.locmem.LocMemCache"


@checks.register(checks.Tags.security, checks.Tags.caches)
def shared_cache_check(**kwargs: Any) -> list[checks.CheckMessage]:
    """Without debug, warn when the cache is each process's own memory: the private links'
    rate limits are counted there, so with several gunicorn processes each counts apart
    (and a restart forgets the counts)."""
    if settings.DEBUG or settings.CACHES["default"]["BACKEND"] != LOCAL_MEMORY:
        return []
    return [
        checks.Warning(
            "The cache is each process's own memory, so the private invitation links' rate "
            "limits are counted separately by every gunicorn process.",
            hint=(
                "Set DJANGO_CACHE_URL to a Redis database of its own, such as "
                "redis://queue.internal:6379/1 (docs/deploy.md)."
            ),
            id="strategise.W001",
        )
    ]
