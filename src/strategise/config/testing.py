"""Settings for the test suite: the production settings with a throwaway key.

Only what a test run cannot provide differs from production; DATABASE_URL still chooses
the database, so the same suite runs on SQLite and on PostgreSQL.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-suite-only-not-a-secret")
os.environ.setdefault("STRATEGISE_AUDIT_KEY", "test-suite-only-audit-key-not-a-secret")
# A Fernet key (32 bytes, URL-safe base64) used only by the test suite.
os.environ.setdefault("STRATEGISE_FIELD_KEY", "dGVzdC1zdWl0ZS1vbmx5LWZpZWxkLWtleS0zMmJ5dGU=")
# The webhook tests' receiver listens on loopback (tests/integrations/receiver.py); the
# tests of the refusal switch this off.
os.environ.setdefault("STRATEGISE_WEBHOOKS_ALLOW_PRIVATE", "1")

from strategise.config.settings import *  # noqa: E402, F403

# No collectstatic before tests: serve static names unhashed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Argon2 is deliberately slow; tests that make users do not need it to be.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Nothing is collected for tests; Django's finders serve what a test asks for.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True

# Emails stay in memory (django.core.mail.outbox), as Django's test runner also arranges.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}

# Tasks run as they are enqueued (after the transaction commits), so tests see their effects.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
