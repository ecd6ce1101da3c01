"""One page of a list of case records, newest first, read as one audited read.

Selectors that list records for the API (``request_list``, ``discussion_list`` and the
rest) pass their scoped queryset here: the page is read by keyset (records before the
last one of the previous page, by primary key), so a page costs the same however deep it
is and a record added meanwhile neither repeats nor hides one. The read is audited in the
same transaction, naming the children of the records listed, as a page's list is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models, transaction

from strategise.audit.services import audit_record
from strategise.organisations.models import User

PAGE_LIMIT = 100


@dataclass(frozen=True)
class Listed[M: models.Model]:
    """A page of records, and the key to ask for the next (None after the last)."""

    items: list[M]
    after: int | None


def audited_page[M: models.Model](
    *,
    user: User,
    records: models.QuerySet[M],
    before: int | None,
    limit: int,
    children_of: Callable[[list[M]], Iterable[int]],
    detail: dict[str, object] | None = None,
) -> Listed[M]:
    """At most ``limit`` of ``records`` (already scoped to ``user``) with a key below
    ``before``, newest first; the read audited as a list of them and their children."""
    limit = max(1, min(limit, PAGE_LIMIT))
    if before is not None:
        records = records.filter(pk__lt=before)
    with transaction.atomic():
        found = list(records.order_by("-pk")[: limit + 1])
        items = found[:limit]
        audit_record(
            user=user,
            action="list",
            object_type=records.model._meta.label,
            children=children_of(items),
            detail={**(detail or {}), "ids": [item.pk for item in items]},
        )
    return Listed(items=items, after=items[-1].pk if len(found) > limit else None)
