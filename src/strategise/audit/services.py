"""Writing the audit log.

``audit_record`` must run inside the transaction of the read or write it records: if the
event cannot be written, the transaction (and so the change, or the page) fails too.
Each event joins its local authority's chain (from an explicit ``authority``, else the
user's, else the object's), or the national chain when it has none.
``audit_security_event`` records sign-ins, second factors, passwords and refused access
in the same chains, in a transaction of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from strategise.audit.models import AuditChainHead, AuditEvent, SecurityAction
from strategise.audit.sealing import GENESIS, HMAC_SHA256, audit_key, content, key_id, seal
from strategise.organisations.models import LocalAuthority, User

_remote_addr: ContextVar[str | None] = ContextVar("audit_remote_addr", default=None)

# Security events are about an account, not a record; this is their object type.
SECURITY = "security"
# Longer than any username Django accepts: whatever else was typed is not kept.
USERNAME_TRIED_LIMIT = 150


class AuditOutsideTransaction(RuntimeError):
    """An audit event was written outside the transaction of the change it records."""


@contextmanager
def where_from(address: str | None) -> Iterator[None]:
    """Within this block, audit events carry ``address`` as where they came from."""
    token = _remote_addr.set(address)
    try:
        yield
    finally:
        _remote_addr.reset(token)


def _authority_id(
    authority: LocalAuthority | int | None, user: User | None, obj: models.Model | None
) -> int | None:
    """The chain an event joins: the authority named, the user's, the object's, or none."""
    if isinstance(authority, LocalAuthority):
        return authority.pk
    if authority is not None:
        return authority
    if user is not None and user.local_authority_id is not None:
        return user.local_authority_id
    found: int | None = getattr(obj, "local_authority_id", None)
    return found


def _locked_head(authority_id: int | None) -> AuditChainHead:
    """The head of the chain, locked until the transaction ends (created on first use)."""
    heads = AuditChainHead.objects.select_for_update()
    head = heads.filter(local_authority_id=authority_id).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            return AuditChainHead.objects.create(local_authority_id=authority_id, last_hash=GENESIS)
    except IntegrityError:
        # Another transaction started the chain first: wait for it and append after it.
        return heads.get(local_authority_id=authority_id)


@dataclass(frozen=True)
class _Head:
    """What this process last wrote to a chain's head: only ever a guess at it."""

    pk: int
    last_hash: str
    count: int


# By chain (authority id): the head as this process last left it. Appending moves the
# head on only where it still holds exactly that (``_advanced``), so another process's
# event, a rolled-back transaction or savepoint, or an emptied database is never built
# on: the guess is checked by the same statement that locks and moves the head.
_last_heads: dict[int | None, _Head] = {}


def _advanced(authority_id: int | None, event: AuditEvent, key: bytes) -> int | None:
    """Seal ``event`` after the head this process last wrote and move the head on to it,
    if the head is still there (one statement, which locks the head as it moves it): the
    head's id, or None if it was not there."""
    guess = _last_heads.get(authority_id)
    if guess is None:
        return None
    _seal(event, key, previous_hash=guess.last_hash, sequence=guess.count + 1)
    # Every audited read and write comes here, so this one statement is written out rather
    # than compiled by the ORM each time (a third of the cost of an append). The head's id
    # names its chain; its hash and count are the guess.
    with connection.cursor() as cursor:
        cursor.execute(
            _ADVANCE, [event.hash, event.sequence, guess.pk, guess.last_hash, guess.count]
        )
        moved = cursor.rowcount
    return guess.pk if moved == 1 else None


# Names in double quotes, as SQLite and PostgreSQL both read them: ``count`` is also a
# function's name.
_ADVANCE = (
    f'UPDATE "{AuditChainHead._meta.db_table}" SET "last_hash" = %s, "count" = %s'  # noqa: S608
    ' WHERE "id" = %s AND "last_hash" = %s AND "count" = %s'
)


def _seal(event: AuditEvent, key: bytes, *, previous_hash: str, sequence: int) -> None:
    event.sequence = sequence
    event.previous_hash = previous_hash
    event.hash = seal(
        scheme=HMAC_SHA256, key=key, previous_hash=previous_hash, covered=content(event)
    )


def audit_record(
    *,
    user: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    children: Iterable[int] = (),
    detail: dict[str, Any] | None = None,
    authority: LocalAuthority | int | None = None,
) -> AuditEvent:
    """Append one event (who, what, which children, when, from where) to its chain."""
    if not connection.in_atomic_block:
        raise AuditOutsideTransaction(f"audit {action!r} must be written inside a transaction")
    key = audit_key()
    actor = user if user is not None and user.is_authenticated else None
    authority_id = _authority_id(authority, actor, obj)
    event = AuditEvent(
        at=timezone.now(),
        user=actor,
        action=str(action),
        object_type=object_type or (obj._meta.label if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None else "",
        child_ids=sorted(set(children)),
        remote_addr=_remote_addr.get(),
        detail=detail or {},
        local_authority_id=authority_id,
        scheme=HMAC_SHA256,
        key_id=key_id(key),
    )
    head_pk = _advanced(authority_id, event, key)
    if head_pk is not None:
        event.save(force_insert=True)
    else:
        # Not the head this process last wrote (or none yet): read it, locked.
        head = _locked_head(authority_id)
        _seal(event, key, previous_hash=head.last_hash, sequence=head.count + 1)
        event.save(force_insert=True)
        head.last_hash = event.hash
        head.count = event.sequence
        head.save(update_fields=["last_hash", "count"])
        head_pk = head.pk
    _last_heads[authority_id] = _Head(pk=head_pk, last_hash=event.hash, count=event.sequence)
    return event


def audit_security_event(
    *,
    action: SecurityAction | str,
    user: User | None = None,
    username_tried: str | None = None,
    authority: LocalAuthority | int | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record a security event (one of ``SecurityAction``) in a transaction of its own.

    ``user`` is who it happened to when known; for a failed sign-in, ``username_tried``
    is what was typed, and the event joins the chain of the account it names, if any.
    Call it outside other transactions for a failure, so a rollback cannot lose it.
    """
    known = SecurityAction(action)
    recorded = dict(detail or {})
    if username_tried is not None:
        recorded["username_tried"] = username_tried[:USERNAME_TRIED_LIMIT]
    with transaction.atomic():
        if authority is None and user is None and username_tried:
            authority = (
                User.objects.filter(username=username_tried)
                .values_list("agency__local_authority_id", flat=True)
                .first()
            )
        return audit_record(
            user=user,
            action=known.value,
            object_type=SECURITY,
            detail=recorded,
            authority=authority,
        )
