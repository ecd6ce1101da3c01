"""Cursor pagination: an opaque, signed cursor for the next page.

A cursor is the key of the last record of a page, signed so that it is only ever one the
API gave (and cannot be read as, or made from, a record number).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core import signing
from django.db import models
from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema
from pydantic import create_model

from strategise.api.auth import api_user
from strategise.api.problems import ApiError
from strategise.audit.listing import Listed
from strategise.organisations.models import User

SALT = "strategise.api.cursor"
# The largest key a record can have (a 64-bit signed integer): a larger one is refused
# as invalid input, never passed to the database.
MAX_KEY = 2**63 - 1


def page_schema(name: str, item: type[Schema]) -> type[Schema]:
    """The schema of a page of ``item``: its ``items`` and the ``next_cursor`` (None on the
    last page, or where the list is one page)."""
    items: Any = list[item]  # type: ignore[valid-type]
    return create_model(name, __base__=Schema, items=(items, ...), next_cursor=(str | None, ...))


class PageFilter(Schema):
    """Which page of a list: the cursor the page before gave, and how many to a page."""

    cursor: str | None = None
    limit: int = Field(25, ge=1, le=100)


def before_key(cursor: str | None) -> int | None:
    """The key a cursor stands for (None for the first page)."""
    if not cursor:
        return None
    try:
        value = signing.loads(cursor, salt=SALT)
    except signing.BadSignature:
        value = None
    if not isinstance(value, dict) or not isinstance(value.get("before"), int):
        raise ApiError(
            422,
            "The cursor is not one this API gave",
            errors=[("cursor", "Use the next_cursor of the page before, or none")],
        )
    return int(value["before"])


def cursor_for(key: int | None) -> str | None:
    return None if key is None else signing.dumps({"before": key}, salt=SALT)


def page_of(
    request: HttpRequest, response: HttpResponse, listed: Listed[Any], items: list[Any]
) -> dict[str, Any]:
    """The body of a page (``items`` as the API shows them, and the next cursor), with a
    ``Link: rel="next"`` header where there is a next page."""
    cursor = cursor_for(listed.after)
    if cursor is not None:
        query = request.GET.copy()
        query["cursor"] = cursor
        response["Link"] = f'<{request.path}?{query.urlencode()}>; rel="next"'
    return {"items": items, "next_cursor": cursor}


def listing[M: models.Model](
    request: HttpRequest,
    response: HttpResponse,
    filters: PageFilter,
    select: Callable[..., Listed[M]],
    out: Callable[[M], Any],
    **criteria: object,
) -> dict[str, Any]:
    """One page of a list endpoint: ``select`` (a selector taking ``user``, ``before`` and
    ``limit``, and the endpoint's ``criteria``) read for the token's user from the cursor
    given, each record shown by ``out``."""
    user: User = api_user(request)
    listed = select(user=user, before=before_key(filters.cursor), limit=filters.limit, **criteria)
    return page_of(request, response, listed, [out(item) for item in listed.items])


def one_page[M](found: Iterable[M], out: Callable[[M], Any]) -> dict[str, Any]:
    """The body of a list that is one page (a search's closest, a discussion's own)."""
    return {"items": [out(item) for item in found], "next_cursor": None}
