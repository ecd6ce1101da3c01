"""The draft's wording: the passages the minute-taker may reword, and what was changed.

The minutes are a summary of what was shared, not a transcript (Bristol §5.3, cited from
the discussion's own profile where it says so). A draft keeps the document generated from
the record and, beside it, the minute-taker's wording of any passage (by the passage's
``id``); the minutes print the wording where there is one. The chair sees each change
from the generated text, word by word, before approving.
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass
from typing import Any, Literal

#: The longest a passage's wording may be.
WORDING_LIMIT = 20_000

_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Passage:
    """A passage of the minutes whose wording may be edited."""

    id: str
    section: str
    heading: str
    text: str


@dataclass(frozen=True)
class Change:
    """One passage reworded: the text as generated, as edited, and the words between."""

    passage: Passage
    edited: str
    parts: tuple[tuple[Literal["same", "removed", "added"], str], ...]


def passages(document: dict[str, Any]) -> list[Passage]:
    """The editable passages of a document, in the order they are printed."""
    return [
        Passage(block["id"], section["heading"], block["heading"], block["text"])
        for section in document["sections"]
        for block in section["blocks"]
        if block.get("id")
    ]


def with_wording(generated: dict[str, Any], wording: dict[str, str]) -> dict[str, Any]:
    """The generated document with the minute-taker's wording in place (a copy)."""
    document = copy.deepcopy(generated)
    for section in document["sections"]:
        for block in section["blocks"]:
            if block.get("id") in wording:
                block["text"] = wording[block["id"]]
    return document


def kept_wording(generated: dict[str, Any], wording: dict[str, str]) -> dict[str, str]:
    """The wording that still changes a passage of ``generated`` (a redraft drops the
    rest: a passage gone from the record, or reworded back to what it says)."""
    texts = {passage.id: passage.text for passage in passages(generated)}
    return {key: text for key, text in wording.items() if key in texts and texts[key] != text}


def _diff(before: str, after: str) -> tuple[tuple[Literal["same", "removed", "added"], str], ...]:
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    # Runs of [old words, new words, unchanged?]; a space between two changes joins them,
    # so "last year" -> "in 2025" reads as one change rather than two.
    runs: list[list[Any]] = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        removed, added = "".join(old[old_start:old_end]), "".join(new[new_start:new_end])
        # Between two matching runs there is one change, so a change follows a match.
        if operation != "equal" and len(runs) > 1 and runs[-1][0].isspace() and not runs[-2][2]:
            space = runs.pop()[0]
            runs[-1][0] += space + removed
            runs[-1][1] += space + added
        else:
            runs.append([removed, added, operation == "equal"])
    parts: list[tuple[Literal["same", "removed", "added"], str]] = []
    for removed, added, unchanged in runs:
        if unchanged:
            parts.append(("same", removed))
            continue
        if removed:
            parts.append(("removed", removed))
        if added:
            parts.append(("added", added))
    return tuple(parts)


def wording_changes(generated: dict[str, Any], wording: dict[str, str]) -> list[Change]:
    """Each passage whose wording differs from the text generated from the record."""
    return [
        Change(passage, wording[passage.id], _diff(passage.text, wording[passage.id]))
        for passage in passages(generated)
        if passage.id in wording and wording[passage.id] != passage.text
    ]
