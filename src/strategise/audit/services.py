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
    head = _locked_head(authority_id)
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
        sequence=head.count + 1,
        scheme=HMAC_SHA256,
        key_id=key_id(key),
        previous_hash=head.last_hash,
    )
    event.hash = seal(
        scheme=HMAC_SHA256, key=key, previous_hash=head.last_hash, covered=content(event)
    )
    event.save(force_insert=True)
    head.last_hash = event.hash
    head.count = event.sequence
    head.save(update_fields=["last_hash", "count"])
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
