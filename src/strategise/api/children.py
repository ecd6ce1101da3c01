"""Children: list or search, and read one."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from ninja import Field as NinjaField
from ninja import Path, Query, Router

from strategise.api.auth import READ, api_user
from strategise.api.paging import MAX_KEY, PageFilter, listing, one_page
from strategise.api.schemas import ChildOut, ChildPage, child_out
from strategise.api.versions import with_etag
from strategise.cases.selectors import child_get, child_list, child_search

router = Router(tags=["children"], auth=READ)


class ChildFilter(PageFilter):
    q: str = NinjaField("", max_length=100, description="A name, other name or reference")
    born: date | None = NinjaField(None, description="A date of birth (YYYY-MM-DD)")


@router.get("/children", response=ChildPage, summary="Find or list children")
def children(
    request: HttpRequest, response: HttpResponse, filters: Query[ChildFilter]
) -> dict[str, object]:
    """The children you may see. With ``q`` or ``born``, a search as the page makes it (the
    closest 50, closest first, on one page); without, every child, newest first, by page."""
    user = api_user(request)
    if filters.q.strip() or filters.born is not None:
        return one_page(
            child_search(user=user, text=filters.q.strip(), born=filters.born), child_out
        )
    return listing(request, response, filters, child_list, child_out)


@router.get("/children/{pk}", response=ChildOut, summary="Read a child")
def child(
    request: HttpRequest, response: HttpResponse, pk: int = Path(..., ge=1, le=MAX_KEY)
) -> ChildOut:
    found = child_get(user=api_user(request), pk=pk)
    with_etag(response, found.version)
    return child_out(found)
