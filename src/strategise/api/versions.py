"""``ETag`` and ``If-Match``: an update names the version it was based on; and
``Idempotency-Key``: a create sent again is the same create.

A record's ETag is its version number (``"3"``). An update must send ``If-Match`` with
the ETag it read (428 without one); if someone else changed the record since, the answer
is 412 with both versions, as the pages show an edit conflict.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from django.http import HttpResponse
from ninja import Header

from strategise.api.problems import ApiError

# An Idempotency-Key is kept with the user's form tokens (audit.idempotency), marked so
# that a key can never be taken for a form's token or the other way round.
KEY_MARK = "api:"
KEY_PATTERN = re.compile(r"[!-~]{8,60}")

# The two headers as an operation takes them (``if_match: IfMatch = None``).
IfMatch = Annotated[
    str | None, Header(None, alias="If-Match", description="The ETag of the version read")
]
IdempotencyKey = Annotated[
    str | None,
    Header(
        None,
        alias="Idempotency-Key",
        description="A key of yours for this create (8 to 60 visible characters)",
    ),
]


def etag(version: int) -> str:
    return f'"{version}"'


def with_etag(response: HttpResponse, version: int) -> None:
    response["ETag"] = etag(version)


def if_match(header: str | None) -> int:
    """The version an ``If-Match`` header names (428 if none, 412 if not one of ours)."""
    header = (header or "").strip()
    if not header:
        raise ApiError(
            428,
            "Send If-Match with the ETag of the version you are changing",
            errors=[("If-Match", "Read the record first and send its ETag")],
        )
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise ApiError(
            412,
            "If-Match does not name a version of this record",
            errors=[("If-Match", "Send the ETag the record was read with")],
        )
    return int(value)


def conflict(
    *, current: dict[str, Any], version: int, yours: dict[str, Any], changed: list[str]
) -> ApiError:
    """A 412 naming what was changed meanwhile, with their version and yours."""
    names = ", ".join(name.replace("_", " ") for name in changed) or "nothing you sent"
    return ApiError(
        412,
        "Someone else saved this since you read it. Your changes have not been saved. "
        f"They changed: {names}. Check their version, then send yours again with its ETag.",
        errors=[(name, "Changed by someone else since you read it") for name in changed],
        extra={"current": current, "yours": yours, "current_etag": etag(version)},
        headers={"ETag": etag(version)},
    )


def idempotency_token(key: str | None) -> str:
    """An ``Idempotency-Key`` header as a token of ``audit.idempotency`` ("" if none)."""
    if not key:
        return ""
    if not KEY_PATTERN.fullmatch(key):
        raise ApiError(
            422,
            "The Idempotency-Key is not one this API takes",
            errors=[("Idempotency-Key", "Use 8 to 60 visible characters, such as a UUID")],
        )
    return KEY_MARK + key
