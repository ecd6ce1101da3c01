"""Names as a search compares them: folded to plain lower-case letters and digits, and
measured by the trigrams they share.

The measure is PostgreSQL's ``pg_trgm`` ``similarity`` (each word padded with two spaces
before and one after, its three-character pieces taken as a set; shared pieces over all
pieces), worked out here in Python too, so that a search finds the same children on
SQLite as on PostgreSQL, where the database's trigram index does the work. Folding happens
before either sees a name (``Child.search_name``), so "Zoë", "ZOE" and "Zoe" are one name
to both, whatever the database's locale.
"""

from __future__ import annotations

import re

from anyascii import anyascii

# pg_trgm's default ``pg_trgm.similarity_threshold``: what its ``%`` operator (and so its
# index) finds. The SQLite path holds itself to the same number.
THRESHOLD = 0.3
_NOT_A_LETTER = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """The text as plain lower-case ASCII words: accents and other scripts transliterated
    ("Zoë Ó'Brien" is "zoe o brien"), anything but letters and digits a single space."""
    return _NOT_A_LETTER.sub(" ", anyascii(text).lower()).strip()


def trigrams(folded: str) -> frozenset[str]:
    """The pieces pg_trgm takes from a folded text."""
    pieces: set[str] = set()
    for word in folded.split():
        padded = f"  {word} "
        pieces.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(pieces)


def similarity(first: frozenset[str], second: frozenset[str]) -> float:
    """pg_trgm's ``similarity``: the pieces two texts share, over all their pieces."""
    if not first or not second:
        return 0.0
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)


def listed(names: list[str]) -> str:
    """Names in words: "Lily Price", "Lily Price and Tom Price", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"
