"""Small pieces every part of the minutes is written with."""

from __future__ import annotations

from typing import Any

from strategise.discussions.models import Invitation
from strategise.policy import vocabulary

Block = dict[str, Any]


def agency(code: str) -> str:
    """An attendee code in words ("Police"); an unknown code as it is."""
    return vocabulary.ATTENDEES.get(code, code)


def passage(heading: str, text: str, key: str | None = None) -> Block:
    """A titled passage; with a ``key``, its wording may be edited before approval."""
    block: Block = {"type": "marked", "heading": heading, "markings": [], "text": text}
    if key:
        block["id"] = key
    return block


def joined(*parts: str) -> str:
    """The parts that say something, a line each."""
    return "\n".join(part for part in parts if part)


def invitee(invitation: Invitation) -> str:
    """Who was invited: their name (and user, if different), then their email address."""
    names = [invitation.name] if invitation.name else []
    if invitation.user and str(invitation.user) != invitation.name:
        names.append(str(invitation.user))
    return joined(" / ".join(names) or "Not named", invitation.email)
