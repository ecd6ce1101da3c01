"""Tokens for the API: personal access tokens, and OAuth 2 client credentials.

A token is ``stg_`` + eight characters (its prefix, kept to find it and to show in lists)
+ ``_`` + a secret; only the prefix and the SHA-256 digest of the whole token are stored,
so the token itself is shown once, when it is made. A random token of 256 bits needs no
slow hash: nobody can guess one from its digest (passwords, which people choose, do).

A personal access token is made by its user, on their account's page, after a fresh second
factor (the page asks for it). A case system's client exchanges its id and secret for a
bearer token that lasts ``CLIENT_TOKEN_LIFETIME``; it acts as the client's service account.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.db import transaction

from strategise.audit.services import audit_record
from strategise.organisations.models import ApiClient, ApiScope, ApiToken, LocalAuthority, User
from strategise.problems import Problem

TOKEN_START = "stg_"  # noqa: S105 (how every token begins, not a secret)
CLIENT_START = "stc_"
PREFIX_LENGTH = len(TOKEN_START) + 8
# How long a personal access token may last, in days (the form offers these).
TOKEN_DAYS = (7, 30, 90)
CLIENT_TOKEN_LIFETIME = timedelta(minutes=15)
# A token's last use is written at most this often, not on every request.
LAST_USED_EVERY = timedelta(minutes=5)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    """A new token and its prefix."""
    prefix = TOKEN_START + secrets.token_hex(4)
    return f"{prefix}_{secrets.token_urlsafe(32)}", prefix


def _scopes(scopes: list[str]) -> list[str]:
    chosen = [scope for scope in ApiScope.values if scope in scopes]
    if not chosen or len(chosen) != len(set(scopes)):
        raise Problem("Choose what the token may do: read, or read and change", "scopes")
    if ApiScope.WRITE in chosen and ApiScope.READ not in chosen:
        chosen.insert(0, ApiScope.READ)
    return chosen


def api_token_create(
    *, user: User, name: str, scopes: list[str], days: int, now: datetime
) -> tuple[ApiToken, str]:
    """Make a personal access token for ``user``: the token and (shown once) its text."""
    errors: list[tuple[str | None, str]] = []
    if not name.strip():
        errors.append(("name", "Enter a name for the token, such as the system that uses it"))
    if days not in TOKEN_DAYS:
        errors.append(("days", "Choose how long the token lasts: 7, 30 or 90 days"))
    try:
        chosen = _scopes(scopes)
    except Problem as problem:
        errors.extend(problem.errors)
    if errors:
        raise Problem.many(errors)
    text, prefix = _new_token()
    with transaction.atomic(durable=True):
        token = ApiToken.objects.create(
            user=user,
            name=name.strip(),
            prefix=prefix,
            digest=_digest(text),
            scopes=chosen,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        audit_record(user=user, action="api-token-create", obj=token, detail={"scopes": chosen})
    return token, text


def api_token_revoke(*, user: User, pk: int, now: datetime) -> ApiToken:
    """Revoke one of the user's own personal access tokens (not found otherwise)."""
    with transaction.atomic(durable=True):
        token = ApiToken.objects.select_for_update().filter(user=user, client=None, pk=pk).first()
        if token is None:
            raise Problem("This token is not one of yours, or no longer exists")
        if token.revoked_at is None:
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
            audit_record(user=user, action="api-token-revoke", obj=token)
    return token


def api_tokens_of(*, user: User) -> list[ApiToken]:
    """The user's own personal access tokens, newest first (revoked and expired too)."""
    return list(ApiToken.objects.filter(user=user, client=None).order_by("-created_at", "-pk"))


def api_token_authenticate(*, text: str, now: datetime) -> ApiToken | None:
    """The live token ``text`` is (not expired, not revoked, its account and client
    active), or None."""
    prefix = text[:PREFIX_LENGTH]
    if not text.startswith(TOKEN_START) or len(text) < PREFIX_LENGTH + 2:
        return None
    token = (
        ApiToken.objects.select_related("user__agency__local_authority", "client")
        .filter(prefix=prefix)
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, _digest(text)):
        return None
    if token.revoked_at is not None or token.expires_at <= now or not token.user.is_active:
        return None
    if token.client is not None and token.client.revoked_at is not None:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def api_client_create(
    *,
    authority: LocalAuthority,
    name: str,
    account: User,
    scopes: list[str],
    now: datetime,
) -> tuple[ApiClient, str]:
    """Register a case system of ``authority``, acting as ``account`` (one of the
    authority's own): the client and (shown once) its secret."""
    if account.local_authority_id != authority.pk:
        raise Problem("The client's account must belong to the same local authority", "account")
    if not name.strip():
        raise Problem("Enter the name of the case system", "name")
    chosen = _scopes(scopes)
    secret = secrets.token_urlsafe(32)
    with transaction.atomic(durable=True):
        client = ApiClient.objects.create(
            local_authority=authority,
            name=name.strip(),
            client_id=CLIENT_START + secrets.token_hex(8),
            secret_digest=_digest(secret),
            account=account,
            scopes=chosen,
            created_at=now,
        )
        audit_record(
            user=None,
            action="api-client-create",
            obj=client,
            authority=authority,
            detail={"account": account.pk, "scopes": chosen},
        )
    return client, secret


def api_client_token_issue(
    *, client_id: str, secret: str, scope: str, now: datetime
) -> tuple[ApiToken, str]:
    """Exchange a client's id and secret for a short-lived bearer token (RFC 6749 §4.4)
    with the scopes asked for (``scope``, space-separated; all the client's if empty)."""
    client = (
        ApiClient.objects.select_related("account")
        .filter(client_id=client_id, revoked_at=None)
        .first()
    )
    if (
        client is None
        or not hmac.compare_digest(client.secret_digest, _digest(secret))
        or not client.account.is_active
    ):
        raise Problem("The client id or secret is wrong, or the client is revoked", "client_id")
    asked = scope.split() or list(client.scopes)
    if not set(asked) <= set(client.scopes):
        raise Problem("The client may not be given that scope", "scope")
    chosen = _scopes(asked)
    text, prefix = _new_token()
    with transaction.atomic(durable=True):
        token = ApiToken.objects.create(
            user=client.account,
            client=client,
            name=client.name,
            prefix=prefix,
            digest=_digest(text),
            scopes=chosen,
            created_at=now,
            expires_at=now + CLIENT_TOKEN_LIFETIME,
        )
        audit_record(
            user=client.account, action="api-client-token", obj=token, detail={"scopes": chosen}
        )
    return token, text


def api_client_revoke(*, client_id: str, now: datetime) -> ApiClient:
    """Stop a case system's client: its id and secret, and every token it was issued."""
    with transaction.atomic(durable=True):
        client = ApiClient.objects.select_for_update().filter(client_id=client_id).first()
        if client is None:
            raise Problem("No client has that id", "client_id")
        if client.revoked_at is None:
            client.revoked_at = now
            client.save(update_fields=["revoked_at"])
            ApiToken.objects.filter(client=client, revoked_at=None).update(revoked_at=now)
            audit_record(
                user=None,
                action="api-client-revoke",
                obj=client,
                authority=client.local_authority_id,
            )
    return client
