"""Verifying the audit log's chains, and their heads for an outside store.

``audit_verify`` recomputes every chain from its first event with the audit key and
reports, per chain, the first event that does not fit. ``audit_anchors`` lists each
chain's newest event; kept somewhere the database's writers cannot reach, those anchors
let ``audit_check_anchors`` show later that no event up to them was removed or resealed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from django.db import connection, transaction
from django.db.models.functions import Coalesce

from strategise.audit.models import NATIONAL, AuditChainHead, AuditEvent
from strategise.audit.sealing import (
    GENESIS,
    HMAC_SHA256,
    KEY_SETTING,
    SHA256,
    audit_key,
    content,
    key_id,
    seal,
)
from strategise.organisations.models import LocalAuthority

NATIONAL_NAME = "national"


@dataclass(frozen=True)
class ChainReport:
    """One chain: how many events fit, and the first problem (None if it is intact)."""

    chain: str
    checked: int
    problem: str | None = None
    event_id: int | None = None
    wrong_key: bool = False

    @property
    def intact(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class AuditReport:
    """Every chain's report, national first, then by authority."""

    chains: tuple[ChainReport, ...]

    @property
    def intact(self) -> bool:
        return all(chain.intact for chain in self.chains)

    @property
    def checked(self) -> int:
        return sum(chain.checked for chain in self.chains)

    @property
    def broken(self) -> list[ChainReport]:
        return [chain for chain in self.chains if not chain.intact]

    @property
    def problem(self) -> str | None:
        return self.broken[0].problem if self.broken else None

    @property
    def event_id(self) -> int | None:
        return self.broken[0].event_id if self.broken else None

    @property
    def wrong_key(self) -> bool:
        return any(chain.wrong_key for chain in self.chains)


def _names() -> dict[int, str]:
    names = dict(LocalAuthority.objects.values_list("pk", "slug"))
    names[NATIONAL] = NATIONAL_NAME
    return names


def _snapshot(outermost: bool) -> None:
    """On PostgreSQL, read every chain as of one moment, while appends carry on. (Inside
    someone else's transaction, its snapshot is the one there is.)"""
    if outermost and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def _check_chain(
    name: str, chain: int, events: Iterable[AuditEvent], head: AuditChainHead | None, key: bytes
) -> ChainReport:
    previous, checked, keyed, last_scheme = GENESIS, 0, False, HMAC_SHA256
    last_id: int | None = None
    for event in events:
        if event.previous_hash != previous or event.sequence != checked + 1:
            return ChainReport(name, checked, "an event before it was changed or removed", event.pk)
        if event.scheme == SHA256 and (keyed or chain != NATIONAL):
            return ChainReport(
                name, checked, "it is unkeyed where only keyed events may be", event.pk
            )
        if event.scheme == HMAC_SHA256 and event.key_id != key_id(key):
            if not keyed:
                return ChainReport(
                    name,
                    checked,
                    f"it was sealed with another key than {KEY_SETTING}",
                    event.pk,
                    wrong_key=True,
                )
            return ChainReport(
                name, checked, "it names another key than the events before it", event.pk
            )
        if event.scheme not in (SHA256, HMAC_SHA256) or event.hash != seal(
            scheme=event.scheme, key=key, previous_hash=previous, covered=content(event)
        ):
            return ChainReport(name, checked, "its content was changed", event.pk)
        keyed = keyed or event.scheme == HMAC_SHA256
        previous, last_scheme, checked = event.hash, event.scheme, checked + 1
        last_id = event.pk
    if checked and last_scheme == SHA256:
        return ChainReport(name, checked, "no keyed event seals its unkeyed events", last_id)
    if head is None:
        return ChainReport(name, checked, "the chain has no head")
    if head.count > checked:
        return ChainReport(name, checked, "events are missing from the end of the chain")
    if head.count != checked or head.last_hash != previous:
        return ChainReport(name, checked, "its head does not match its last event")
    return ChainReport(name, checked)


def _events_by_chain() -> Iterator[tuple[int, Iterator[AuditEvent]]]:
    # In the order of the (chain, sequence) constraint, so its index serves the scan.
    events = (
        AuditEvent.objects.annotate(chain_key=Coalesce("local_authority", NATIONAL))
        .order_by("chain_key", "sequence")
        .iterator(chunk_size=2000)
    )
    return groupby(events, key=lambda event: event.chain_key)


def audit_verify() -> AuditReport:
    """Recompute every chain with the audit key; report each chain's first misfit."""
    key = audit_key()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        _snapshot(outermost)
        names = _names()
        heads = {head.local_authority_id or NATIONAL: head for head in AuditChainHead.objects.all()}
        reports: dict[int, ChainReport] = {}
        for chain, events in _events_by_chain():
            name = names.get(chain, f"authority {chain}")
            reports[chain] = _check_chain(name, chain, events, heads.get(chain), key)
        for chain, head in heads.items():
            if chain not in reports:
                reports[chain] = _check_chain(names[chain], chain, (), head, key)
    return AuditReport(tuple(reports[chain] for chain in sorted(reports)))


@dataclass(frozen=True)
class Anchor:
    """A chain's newest event, to keep outside the database."""

    authority: str | None
    sequence: int
    event_id: int | None
    hash: str
    at: datetime | None

    @property
    def chain(self) -> str:
        return self.authority or NATIONAL_NAME

    def as_dict(self) -> dict[str, object]:
        return {
            "authority": self.authority,
            "sequence": self.sequence,
            "event_id": self.event_id,
            "hash": self.hash,
            "at": self.at.isoformat() if self.at else None,
        }


def audit_anchors() -> list[Anchor]:
    """Each chain's head: its authority, newest sequence number, event, hash and time."""
    heads = list(
        AuditChainHead.objects.select_related("local_authority").order_by(
            Coalesce("local_authority", NATIONAL)
        )
    )
    newest = {
        event.hash: event
        for event in AuditEvent.objects.filter(hash__in=[head.last_hash for head in heads]).only(
            "pk", "hash", "at"
        )
    }
    anchors = []
    for head in heads:
        event = newest.get(head.last_hash)
        anchors.append(
            Anchor(
                authority=head.local_authority.slug if head.local_authority else None,
                sequence=head.count,
                event_id=event.pk if event else None,
                hash=head.last_hash,
                at=event.at if event else None,
            )
        )
    return anchors


class AnchorsError(ValueError):
    """A file of anchors that cannot be read as the output of ``audit anchor --json``."""


def _anchor_fields(entry: object, number: int) -> tuple[str | None, int, str]:
    if not isinstance(entry, dict):
        raise AnchorsError(f"anchor {number} is not an object with authority, sequence and hash")
    authority, sequence, hash_ = entry.get("authority"), entry.get("sequence"), entry.get("hash")
    if authority is not None and not isinstance(authority, str):
        raise AnchorsError(f"anchor {number}: authority must be a slug or null")
    if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 0:
        raise AnchorsError(f"anchor {number}: sequence must be a whole number, 0 or more")
    if not isinstance(hash_, str) or len(hash_) != len(GENESIS):
        raise AnchorsError(f"anchor {number}: hash must be {len(GENESIS)} hexadecimal digits")
    return authority, sequence, hash_


def audit_check_anchors(entries: object) -> list[str]:
    """What no longer matches anchors written earlier: each chain must still hold the
    anchored event, with the same hash, at the same place. Empty if all still match."""
    if not isinstance(entries, list):
        raise AnchorsError("the anchors must be a JSON list, as `strategise audit anchor --json`")
    anchors = [_anchor_fields(entry, number) for number, entry in enumerate(entries, 1)]
    authorities = dict(LocalAuthority.objects.values_list("slug", "pk"))
    problems = []
    for authority, sequence, hash_ in anchors:
        name = authority or NATIONAL_NAME
        if sequence == 0:
            continue
        if authority is not None and authority not in authorities:
            problems.append(f"{name}: there is no such authority any more")
            continue
        found = (
            AuditEvent.objects.alias(chain_key=Coalesce("local_authority", NATIONAL))
            .filter(chain_key=authorities[authority] if authority else NATIONAL, sequence=sequence)
            .values_list("hash", flat=True)
            .first()
        )
        if found is None:
            problems.append(f"{name}: event {sequence} of the chain, anchored, is missing")
        elif found != hash_:
            problems.append(f"{name}: event {sequence} of the chain was resealed after its anchor")
    return problems
