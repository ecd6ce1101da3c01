"""Professional disagreements: the open ones you may see, and one with its history, as
the disagreements pages list and show them (``disagreements.selectors``)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from strategise.api.auth import READ, api_user
from strategise.api.paging import MAX_KEY, one_page
from strategise.api.recording_schemas import (
    DisagreementDetailOut,
    DisagreementPage,
    disagreement_out,
    listed_disagreement_out,
)
from strategise.disagreements.selectors import disagreement_get, disagreement_list

router = Router(tags=["disagreements"], auth=READ)


class DisagreementFilter(Schema):
    request: int | None = Field(None, ge=1, le=MAX_KEY, description="Only those of one request")
    resolved: bool = Field(False, description="Resolved ones too")


@router.get("/disagreements", response=DisagreementPage, summary="List disagreements")
def disagreements(request: HttpRequest, filters: Query[DisagreementFilter]) -> dict[str, object]:
    """The disagreements you may see (open ones, unless ``resolved``), longest held first:
    the first 200, on one page, as the page lists them."""
    found = disagreement_list(
        user=api_user(request), request_id=filters.request, open_only=not filters.resolved
    )
    return one_page(found, listed_disagreement_out)


@router.get("/disagreements/{pk}", response=DisagreementDetailOut, summary="Read a disagreement")
def disagreement(
    request: HttpRequest, pk: int = Path(..., ge=1, le=MAX_KEY)
) -> DisagreementDetailOut:
    """A disagreement with where it stands, who holds it and every move so far."""
    return disagreement_out(disagreement_get(user=api_user(request), pk=pk))
