"""Secrets Strategise must use again, kept encrypted at rest: a webhook endpoint's secret.

An HMAC is made with the secret itself, so it cannot be hashed as a password or an API
token is; it is encrypted instead, with Fernet (AES-128-CBC and HMAC-SHA256, from the
``cryptography`` library) under the keys in ``STRATEGISE_FIELD_KEY``, which are never
stored in the database. The setting is a list: the first key encrypts, and every key is
tried to decrypt (``MultiFernet``), so a key is rotated by putting a new one first,
running ``manage.py field_key_rotate`` and then dropping the old one.

This module is plain Python (no models), so the migration that encrypted the secrets
stored before uses exactly the functions the services use.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_SETTING = "STRATEGISE_FIELD_KEY"
# What settings use when DJANGO_DEBUG is on and no key is set; a check refuses it otherwise.
DEVELOPMENT_KEY = base64.urlsafe_b64encode(
    hashlib.sha256(b"strategise development field key, never use in production").digest()
).decode()
GENERATE = (
    "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
)


class Undecryptable(Exception):
    """A stored secret that none of the keys decrypts (a key dropped too soon)."""


def key_problem(key: str) -> str:
    """What is wrong with one key, or "" (a Fernet key: 32 bytes in URL-safe base64)."""
    try:
        Fernet(key.encode())
    except ValueError:
        return (
            f"is not a Fernet key ({len(key)} characters): a key is 44 characters of "
            "URL-safe base64 encoding 32 random bytes"
        )
    return ""


def configured_keys() -> list[str]:
    keys: list[str] = list(getattr(settings, KEY_SETTING, []) or [])
    return keys


@cache
def _box(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def box() -> MultiFernet:
    """The keys, the first encrypting; refuses to go on without a usable one."""
    keys = configured_keys()
    if not keys:
        raise ImproperlyConfigured(
            f"{KEY_SETTING} is not set: webhook secrets are encrypted with it. Set it to a "
            f"key made by `{GENERATE}`, or set DJANGO_DEBUG=1 to run locally with a "
            "development key."
        )
    for number, key in enumerate(keys, start=1):
        if problem := key_problem(key):
            raise ImproperlyConfigured(f"{KEY_SETTING}'s key {number} {problem}")
    return _box(tuple(keys))


def encrypt(text: str) -> str:
    """``text`` encrypted under the first key (a Fernet token, URL-safe text)."""
    return box().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    """The text ``token`` encrypts, under any of the keys."""
    try:
        return box().decrypt(token.encode()).decode()
    except InvalidToken:
        raise Undecryptable(
            f"none of the keys in {KEY_SETTING} decrypts it: was the key that encrypted it "
            "dropped before `manage.py field_key_rotate` was run?"
        ) from None


def rotate(token: str) -> str:
    """``token`` encrypted again under the first key (decrypted under any)."""
    try:
        return box().rotate(token.encode()).decode()
    except InvalidToken:
        raise Undecryptable(f"none of the keys in {KEY_SETTING} decrypts it") from None
