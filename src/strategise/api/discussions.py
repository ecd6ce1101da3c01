"""Strategy discussions: list, and read one with who is invited and its actions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router

from strategise.api.auth import READ, api_user
from strategise.api.paging import MAX_KEY, PageFilter, listing
from strategise.api.schemas import (
    DiscussionDetailOut,
    DiscussionPage,
    InvitationOut,
    discussion_out,
)
from strategise.discussions.models import DiscussionStatus
from strategise.discussions.selectors import discussion_get, discussion_list

router = Router(tags=["discussions"], auth=READ)


class DiscussionFilter(PageFilter):
    status: DiscussionStatus | None = None


@router.get("/discussions", response=DiscussionPage, summary="List discussions")
def discussions(
    request: HttpRequest, response: HttpResponse, filters: Query[DiscussionFilter]
) -> dict[str, object]:
    """The discussions you may see (your authority's, or those you are invited to)."""
    return listing(
        request, response, filters, discussion_list, discussion_out, status=filters.status or ""
    )


@router.get("/discussions/{pk}", response=DiscussionDetailOut, summary="Read a discussion")
def discussion(
    request: HttpRequest, response: HttpResponse, pk: int = Path(..., ge=1, le=MAX_KEY)
) -> DiscussionDetailOut:
    detail = discussion_get(user=api_user(request), pk=pk)
    return DiscussionDetailOut(
        **discussion_out(detail.discussion).model_dump(),
        children=[child.pk for child in detail.children],
        invitations=[
            InvitationOut(
                id=invitation.pk,
                agency=invitation.agency.name if invitation.agency else invitation.agency_code,
                name=invitation.name or (str(invitation.user) if invitation.user else ""),
                required=invitation.required,
                reply=invitation.response,
            )
            for invitation in detail.invitations
        ],
        actions=[action.pk for action in detail.actions],
    )
