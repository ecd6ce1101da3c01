"""A discussion's record (what each agency contributed) and its decisions (each child's,
with the rationale, and any agency's dissent): for those who record the discussion, as the
record and decisions pages are (``access.may_record``); anyone else gets "not found"."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Path, Router

from strategise.access import may_record
from strategise.api.auth import READ, api_user
from strategise.api.paging import MAX_KEY
from strategise.api.recording_schemas import (
    DecisionsOut,
    RecordOut,
    decision_out,
    dissent_out,
    record_out,
)
from strategise.discussions.selectors import DiscussionDetail, discussion_get

router = Router(tags=["records"], auth=READ)


def _recorded(request: HttpRequest, pk: int) -> DiscussionDetail:
    """The discussion, read (audited) for someone who records it (404 otherwise)."""
    user = api_user(request)
    detail = discussion_get(user=user, pk=pk)
    if not may_record(user, detail.discussion):
        raise Http404
    return detail


@router.get("/discussions/{pk}/record", response=RecordOut, summary="Read a discussion's record")
def record(request: HttpRequest, pk: int = Path(..., ge=1, le=MAX_KEY)) -> RecordOut:
    """The record of the discussion (its reason, background, the family, legal advice, the
    analysis of risk) and each agency's contribution with its sharing markers."""
    detail = _recorded(request, pk)
    return record_out(detail.discussion.pk, detail.record, detail.invitations)


@router.get(
    "/discussions/{pk}/decisions", response=DecisionsOut, summary="Read a discussion's decisions"
)
def decisions(request: HttpRequest, pk: int = Path(..., ge=1, le=MAX_KEY)) -> DecisionsOut:
    """Each child's decision with its rationale (and who confirmed no further action), and
    each agency's dissent from a decision with its reasons."""
    detail = _recorded(request, pk)
    return DecisionsOut(
        discussion=detail.discussion.pk,
        decisions=[
            decision_out(detail.decisions[c.pk])
            for c in detail.children
            if c.pk in detail.decisions
        ],
        dissents=[dissent_out(d) for d in detail.dissents],
    )
