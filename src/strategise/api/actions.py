"""Actions: list, read, and record progress (with ``If-Match``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field as NinjaField
from ninja import Path, Query, Router

from strategise.access import may_update_action
from strategise.actions.selectors import action_get, action_list
from strategise.actions.services import action_update
from strategise.api.auth import READ, WRITE, api_user
from strategise.api.paging import MAX_KEY, PageFilter, listing
from strategise.api.problems import ApiError, ProblemDetails
from strategise.api.schemas import ActionOut, ActionPage, ActionProgressIn, action_out
from strategise.api.versions import IfMatch, conflict, if_match, with_etag
from strategise.discussions.recording import EditConflict

router = Router(tags=["actions"])

PROGRESS = ("status", "completion_note")


class ActionFilter(PageFilter):
    discussion: int | None = NinjaField(None, ge=1, le=MAX_KEY)


@router.get("/actions", response=ActionPage, auth=READ, summary="List actions")
def actions(
    request: HttpRequest, response: HttpResponse, filters: Query[ActionFilter]
) -> dict[str, object]:
    """The actions you may see (of discussions you may see, and your own), newest first."""
    return listing(
        request, response, filters, action_list, action_out, discussion=filters.discussion
    )


@router.get("/actions/{pk}", response=ActionOut, auth=READ, summary="Read an action")
def action(
    request: HttpRequest, response: HttpResponse, pk: int = Path(..., ge=1, le=MAX_KEY)
) -> ActionOut:
    found = action_get(user=api_user(request), pk=pk)
    with_etag(response, found.version)
    return action_out(found)


@router.patch(
    "/actions/{pk}",
    response={200: ActionOut, 403: ProblemDetails, 412: ProblemDetails, 428: ProblemDetails},
    auth=WRITE,
    summary="Record an action's progress",
)
def action_progress(
    request: HttpRequest,
    response: HttpResponse,
    body: ActionProgressIn,
    pk: int = Path(..., ge=1, le=MAX_KEY),
    if_match_header: IfMatch = None,
) -> ActionOut:
    """Mark the action open, done or cancelled (saying what was done), as its owner or
    those who record its discussion may. Send ``If-Match`` with its ETag: if someone else
    changed it since, nothing is saved and the answer (412) has both versions."""
    user = api_user(request)
    found = action_get(user=user, pk=pk)
    if not may_update_action(user, found):
        raise ApiError(403, "Only the action's owner, the chair or the minute-taker can update it")
    version = if_match(if_match_header)
    yours = body.model_dump(mode="json")
    if version != found.version:
        current = action_out(found)
        changed = [name for name in PROGRESS if yours[name] != getattr(current, name)]
        raise conflict(
            current=current.model_dump(mode="json"),
            version=found.version,
            yours=yours,
            changed=changed,
        )
    try:
        updated = action_update(
            user=user,
            action=found,
            status=body.status,
            completion_note=body.completion_note,
            expected_version=version,
            now=timezone.now(),
        )
    except EditConflict as edit:
        latest = action_out(action_get(user=user, pk=pk))
        raise conflict(
            current=latest.model_dump(mode="json"),
            version=edit.version,
            yours=yours,
            changed=list(edit.changes),
        ) from None
    with_etag(response, updated.version)
    return action_out(updated)
