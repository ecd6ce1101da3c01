"""What a link points at, as data: a kind of record and its key, never a URL.

Selectors and services say where a reader should go next (a work item, a timeline entry,
a notification) as a ``Target``; only ``strategise.web.links`` turns one into a URL, so a
page can move without any of them changing, and a notification stored today still opens
the right page after it has.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TargetKind(StrEnum):
    """The kinds of thing a link may point at (stored in notifications: never rename)."""

    REQUEST = "request"
    DISCUSSION = "discussion"
    DISCUSSION_CLOCKS = "discussion-clocks"
    DISAGREEMENT = "disagreement"
    MY_WORK = "my-work"
    PATTERN_ALERT = "pattern-alert"


# Kinds that are the user's own page rather than one record, so they take no key.
KEYLESS = frozenset({TargetKind.MY_WORK})


@dataclass(frozen=True)
class Target:
    """Where a link leads: ``Target(TargetKind.DISCUSSION, 12)`` is strategy discussion 12."""

    kind: TargetKind
    key: int | None = None

    def __post_init__(self) -> None:
        if (self.key is None) != (self.kind in KEYLESS):
            needs = "no key" if self.kind in KEYLESS else "the key of its record"
            raise ValueError(f"A link of kind {self.kind.value!r} takes {needs}, not {self.key!r}")
