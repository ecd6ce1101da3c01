"""Statutory clocks: the deadlines the requests and discussions you may see run to."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from strategise.api.auth import READ
from strategise.api.paging import PageFilter, listing
from strategise.api.schemas import ClockPage, clock_out
from strategise.clocks.models import ClockState
from strategise.clocks.selectors import clock_list

router = Router(tags=["clocks"], auth=READ)


class ClockFilter(PageFilter):
    state: ClockState | None = None


@router.get("/clocks", response=ClockPage, summary="List clocks")
def clocks(
    request: HttpRequest, response: HttpResponse, filters: Query[ClockFilter]
) -> dict[str, object]:
    """The clocks of the requests you may see, newest first (``state`` to filter)."""
    return listing(request, response, filters, clock_list, clock_out, state=filters.state or "")
