"""Matching the people, places, vehicles and online accounts around children, and the
patterns across cases: pure functions over plain data (no Django, no clock).

Complex abuse is "one or more abusers and three or more related or non-related children"
(Working Together 2023, as Birmingham §6 and Bristol's complex strategy guidance quote
it). Strategise looks, within one local authority only, for the same adult, place,
vehicle or online account linked to ``CHILDREN_FOR_A_PATTERN`` or more children, and for
an alleged perpetrator in a position of trust named in more than one request.

Each entity is reduced to a *match key* from its normalised details; entities with the
same key are taken to be the same, and the key says how sure that is:

* ``certain`` — the same record, or a vehicle's registration, or an account's platform
  and handle (each names one thing);
* ``likely`` — a person's normalised name and date of birth, or a place's postcode and
  its first line;
* ``possible`` — a person's name with their address, or a name (or a place's
  description) alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

CHILDREN_FOR_A_PATTERN = 3
REQUESTS_FOR_A_TRUST_PATTERN = 2
WORKING_TOGETHER = "Working Together to Safeguard Children 2023, complex abuse"

CERTAIN, LIKELY, POSSIBLE = "certain", "likely", "possible"
SURENESS_ORDER = {CERTAIN: 2, LIKELY: 1, POSSIBLE: 0}
SURENESS_NAMES = {
    CERTAIN: "Certain: the same record, registration or account",
    LIKELY: "Likely: the same name and date of birth, or the same postcode and street",
    POSSIBLE: "Possible: the same name or description only",
}

PERSON, PLACE, VEHICLE, ACCOUNT = "person", "place", "vehicle", "account"

_NOT_WORD = re.compile(r"[^a-z0-9]+")
_POSTCODE = re.compile(r"\b([a-z]{1,2}[0-9][a-z0-9]?)\s*([0-9][a-z]{2})\b")
_ABBREVIATIONS = {
    "rd": "road",
    "st": "street",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "dr": "drive",
    "cl": "close",
    "ct": "court",
    "pl": "place",
    "sq": "square",
    "cres": "crescent",
    "gdns": "gardens",
    "pk": "park",
    "flat": "flat",
}
_HANDLE_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?(?:[a-z0-9.-]+\.[a-z]{2,}/)?@?")


def _plain(text: str) -> str:
    """Lower case, accents and punctuation removed, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_WORD.sub(" ", bare).strip()


def name_normalised(name: str) -> str:
    """A person's name to compare: "  O'Brien-Smith, Seán " is "o brien smith sean"."""
    return _plain(name)


def registration_normalised(registration: str) -> str:
    """A vehicle registration to compare: capitals and digits only ("ab12 cde" is
    "AB12CDE")."""
    return re.sub(r"[^A-Z0-9]", "", registration.upper())


def handle_normalised(handle: str) -> str:
    """An online account's handle to compare: lower case, without a leading "@", the
    site's address or spaces ("https://www.instagram.com/@Jay.K " is "jay.k")."""
    text = handle.strip().casefold()
    text = _HANDLE_PREFIX.sub("", text, count=1)
    return re.sub(r"[\s/]+", "", text)


def postcode_of(address: str) -> str:
    """The postcode in an address, in capitals with one space ("b11aa" is "B1 1AA"), or ""."""
    found = _POSTCODE.search(address.casefold())
    return f"{found.group(1)} {found.group(2)}".upper() if found else ""


def address_normalised(address: str) -> str:
    """An address to compare: plain words, common abbreviations written out, the postcode
    left out (``postcode_of`` finds it)."""
    without_postcode = _POSTCODE.sub(" ", address.casefold())
    words = [_ABBREVIATIONS.get(word, word) for word in _plain(without_postcode).split()]
    return " ".join(words)


@dataclass(frozen=True)
class Details:
    """What is known of one entity, as plain data (the caller reads it from its record)."""

    kind: str
    record: str = ""  # a shared record's own key ("adult:12"), when there is one
    name: str = ""
    date_of_birth: date | None = None
    address: str = ""
    registration: str = ""
    platform: str = ""
    handle: str = ""


@dataclass(frozen=True)
class Key:
    """An entity's match key, and how sure it is that two entities with it are the same."""

    value: str
    sureness: str


def match_key(details: Details) -> Key:
    """The key entities are matched by (see the module's note for how sure each is)."""
    if details.kind == VEHICLE and registration_normalised(details.registration):
        return Key(f"vehicle:{registration_normalised(details.registration)}", CERTAIN)
    if details.kind == ACCOUNT and handle_normalised(details.handle):
        platform = _plain(details.platform) or "unknown"
        return Key(f"account:{platform}:{handle_normalised(details.handle)}", CERTAIN)
    name = name_normalised(details.name)
    if details.kind == PERSON and name and details.date_of_birth is not None:
        return Key(f"person:{name}|{details.date_of_birth.isoformat()}", LIKELY)
    if details.kind == PLACE:
        postcode = postcode_of(details.address)
        street = address_normalised(details.address)
        if postcode and street:
            return Key(f"place:{postcode}|{street.split()[0]}", LIKELY)
        return Key(f"place:{street or name}", POSSIBLE)
    if details.record:
        return Key(details.record, CERTAIN)
    if details.kind == PERSON and details.address:
        return Key(f"person:{name}|{address_normalised(details.address)}", POSSIBLE)
    return Key(f"{details.kind}:{name}", POSSIBLE)


@dataclass(frozen=True)
class LinkFact:
    """One link of an entity to a child, as the pattern check sees it."""

    link: int
    authority: int
    child: int
    request: int | None
    key: str
    sureness: str
    entity: int
    since: date | None = None


@dataclass(frozen=True)
class Pattern:
    """Evidence that several children share one entity (or one person in a position of
    trust is named in several requests): which children, requests and links, since when,
    and how sure the match is."""

    kind: str
    authority: int
    key: str
    children: tuple[int, ...]
    requests: tuple[int, ...]
    links: tuple[int, ...]
    since: date | None
    sureness: str
    source: str = WORKING_TOGETHER
    entities: tuple[int, ...] = field(default=())


SHARED, TRUST = "shared", "trust"


def _weakest(surenesses: Iterable[str]) -> str:
    return min(surenesses, key=SURENESS_ORDER.__getitem__)


def _pattern(kind: str, authority: int, key: str, facts: list[LinkFact]) -> Pattern:
    entities = tuple(sorted({fact.entity for fact in facts}))
    by_key: dict[str, list[LinkFact]] = {}
    for fact in facts:
        by_key.setdefault(fact.key, []).append(fact)
    # Links to one record are certainly to the same thing, whatever its key says; records
    # joined by a key are as sure as the key (and what is tied to a person is recorded so).
    sureness = _weakest(
        CERTAIN if len({fact.entity for fact in same}) == 1 else _weakest(f.sureness for f in same)
        for same in by_key.values()
    )
    dates = [fact.since for fact in facts if fact.since is not None]
    return Pattern(
        kind=kind,
        authority=authority,
        key=key,
        children=tuple(sorted({fact.child for fact in facts})),
        requests=tuple(sorted({fact.request for fact in facts if fact.request is not None})),
        links=tuple(sorted(fact.link for fact in facts)),
        since=min(dates) if dates else None,
        sureness=sureness,
        entities=entities,
    )


def _grouped(facts: Iterable[LinkFact]) -> dict[tuple[int, str], list[LinkFact]]:
    groups: dict[tuple[int, str], list[LinkFact]] = {}
    for fact in facts:
        groups.setdefault((fact.authority, fact.key), []).append(fact)
    return groups


def shared_patterns(
    facts: Iterable[LinkFact],
    dismissed: frozenset[tuple[int, str, str]] = frozenset(),
    ties: Mapping[str, frozenset[str]] | None = None,
    threshold: int = CHILDREN_FOR_A_PATTERN,
) -> list[Pattern]:
    """Every key linked to ``threshold`` or more children of one authority (authorities
    are never mixed), except those a person dismissed as a false match
    (``(authority, kind, key)``). ``ties`` gives a person's key the keys of what is theirs
    (the car they drive, the account they use): the children linked to those count as
    linked to the person too, and the links say how."""
    groups = _grouped(facts)
    tied = ties or {}
    found = []
    for (authority, key), group in sorted(groups.items()):
        if (authority, SHARED, key) in dismissed:
            continue
        through = [
            fact
            for other in sorted(tied.get(key, ()))
            for fact in groups.get((authority, other), [])
        ]
        everything = group + through
        if len({fact.child for fact in everything}) >= threshold:
            found.append(_pattern(SHARED, authority, key, everything))
    return found


def trust_patterns(
    facts: Iterable[LinkFact],
    dismissed: frozenset[tuple[int, str, str]] = frozenset(),
    threshold: int = REQUESTS_FOR_A_TRUST_PATTERN,
) -> list[Pattern]:
    """Every alleged perpetrator in a position of trust (``facts`` are those only) named
    in ``threshold`` or more requests of one authority."""
    found = []
    for (authority, key), group in sorted(_grouped(facts).items()):
        if (authority, TRUST, key) in dismissed:
            continue
        if len({fact.request for fact in group if fact.request is not None}) >= threshold:
            found.append(_pattern(TRUST, authority, key, group))
    return found


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    true_positives: int
    false_positives: int
    false_negatives: int


def scores(found: Iterable[frozenset[int]], planted: Iterable[frozenset[int]]) -> Scores:
    """Precision and recall of the groups found against the groups planted: a group found
    is right when it holds at least three children of one planted group and no others."""
    planted_groups = list(planted)
    found_groups = list(found)
    right = [
        group
        for group in found_groups
        if any(group <= plant and len(group) >= CHILDREN_FOR_A_PATTERN for plant in planted_groups)
    ]
    caught = [
        plant
        for plant in planted_groups
        if any(group <= plant and group in right for group in found_groups)
    ]
    false_positives = len(found_groups) - len(right)
    missed = len(planted_groups) - len(caught)
    return Scores(
        precision=len(right) / len(found_groups) if found_groups else 1.0,
        recall=len(caught) / len(planted_groups) if planted_groups else 1.0,
        true_positives=len(right),
        false_positives=false_positives,
        false_negatives=missed,
    )
