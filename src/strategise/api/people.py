"""The adults around the children: find, and read one."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from ninja import Field as NinjaField
from ninja import Path, Query, Router, Schema

from strategise.api.auth import READ, api_user
from strategise.api.paging import MAX_KEY, one_page
from strategise.api.schemas import AdultOut, AdultPage, adult_out
from strategise.api.versions import with_etag
from strategise.cases.family import adult_get, adult_search

router = Router(tags=["adults"], auth=READ)


class AdultFilter(Schema):
    q: str = NinjaField("", max_length=100, description="A name, other name or former name")
    born: date | None = NinjaField(None, description="A date of birth (YYYY-MM-DD)")


@router.get("/adults", response=AdultPage, summary="Find adults")
def adults(request: HttpRequest, filters: Query[AdultFilter]) -> dict[str, object]:
    """The adults you may see whose names have every word of ``q`` (all, without it), by
    name: the first 50, on one page, as the page's search lists them."""
    found = adult_search(user=api_user(request), text=filters.q.strip(), born=filters.born)
    return one_page(found, adult_out)


@router.get("/adults/{pk}", response=AdultOut, summary="Read an adult")
def adult(
    request: HttpRequest, response: HttpResponse, pk: int = Path(..., ge=1, le=MAX_KEY)
) -> AdultOut:
    found = adult_get(user=api_user(request), pk=pk)
    with_etag(response, found.version)
    return adult_out(found)
