"""Professional disagreements: the open ones you may see, one with its history, raising
one from a discussion, escalating it to the procedure's next stage, and recording how it
was resolved, as the disagreements pages do (``disagreements.selectors`` and
``disagreements.services``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status

from strategise.api.auth import READ, WRITE, api_user
from strategise.api.paging import MAX_KEY, one_page
from strategise.api.problems import ApiError, ProblemDetails, fields_renamed
from strategise.api.recording_schemas import (
    DisagreementDetailOut,
    DisagreementPage,
    disagreement_out,
    listed_disagreement_out,
)
from strategise.api.versions import (
    IdempotencyKey,
    IfMatch,
    conflict,
    idempotency_token,
    if_match,
    with_etag,
)
from strategise.disagreements.models import DisagreementStatus, Resolution, Subject
from strategise.disagreements.selectors import (
    DisagreementDetail,
    disagreement_get,
    disagreement_list,
    discussion_for_disagreement,
)
from strategise.disagreements.services import (
    disagreement_escalate,
    disagreement_raise,
    disagreement_resolve,
)
from strategise.problems import Problem

router = Router(tags=["disagreements"], auth=READ)


class RaiseIn(Schema):
    """What the difference of opinion is about, and what it is."""

    subject: Subject
    description: str = Field(max_length=20000)


class EscalateIn(Schema):
    """Why it is being escalated and what has been tried; for a stage held outside
    Strategise, the person who holds it next (who is emailed)."""

    note: str = Field(max_length=20000)
    outside_name: str = Field("", max_length=200)
    outside_email: str = Field("", max_length=254)


class ResolveIn(Schema):
    """How it was resolved, and the outcome."""

    resolution: Resolution
    outcome: str = Field(max_length=20000)


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
    request: HttpRequest, response: HttpResponse, pk: int = Path(..., ge=1, le=MAX_KEY)
) -> DisagreementDetailOut:
    """A disagreement with where it stands, who holds it and every move so far."""
    detail = disagreement_get(user=api_user(request), pk=pk)
    with_etag(response, detail.disagreement.version)
    return disagreement_out(detail)


@router.post(
    "/discussions/{pk}/disagreements",
    response={201: DisagreementDetailOut},
    auth=WRITE,
    summary="Raise a disagreement",
)
def disagreement_new(
    request: HttpRequest,
    response: HttpResponse,
    body: RaiseIn,
    pk: int = Path(..., ge=1, le=MAX_KEY),
    idempotency_key: IdempotencyKey = None,
) -> object:
    """Raise a professional disagreement about a discussion's request (``holding``) or,
    once it is held, its outcome: it starts at the procedure's first stage. Send
    ``Idempotency-Key`` so that sending it again gives the one the first raised."""
    user = api_user(request)
    token = idempotency_token(idempotency_key)
    discussion = discussion_for_disagreement(user=user, pk=pk)
    try:
        raised = disagreement_raise(
            user=user,
            request=discussion.request,
            discussion=discussion,
            subject=body.subject,
            description=body.description,
            now=timezone.now(),
            token=token,
        )
    except Problem as problem:
        raise fields_renamed(problem, {"discussion": "subject"}) from None
    response["Location"] = f"/api/v1/disagreements/{raised.pk}"
    detail = disagreement_get(user=user, pk=raised.pk)
    with_etag(response, detail.disagreement.version)
    return Status(201, disagreement_out(detail))


# What escalating or resolving answers: the disagreement as it now is, or why not.
MOVED = {200: DisagreementDetailOut, 403: ProblemDetails, 412: ProblemDetails, 428: ProblemDetails}


def _moved(request: HttpRequest, response: HttpResponse, pk: int) -> DisagreementDetailOut:
    """The disagreement read again after it moved, with its new ETag."""
    again = disagreement_get(user=api_user(request), pk=pk)
    with_etag(response, again.disagreement.version)
    return disagreement_out(again)


def _movable(
    request: HttpRequest, pk: int, if_match_header: str | None, yours: dict[str, object], verb: str
) -> DisagreementDetail:
    """The disagreement, if the caller may move it (403 otherwise) and the ``If-Match`` names
    the version they read (428 without one; 412, with both versions, if it moved on since)."""
    detail = disagreement_get(user=api_user(request), pk=pk)
    if not detail.may_move:
        raise ApiError(
            403, f"Only whoever raised or holds it, or a social care manager, can {verb} it"
        )
    version = if_match(if_match_header)
    if version != detail.disagreement.version:
        current = disagreement_out(detail)
        raise conflict(
            current=current.model_dump(mode="json"),
            version=detail.disagreement.version,
            yours=yours,
            # Its version moves when it is escalated (its stage) or resolved (its status).
            changed=[
                "status" if detail.disagreement.status == DisagreementStatus.RESOLVED else "stage"
            ],
        )
    return detail


@router.post(
    "/disagreements/{pk}/escalate",
    response=MOVED,
    auth=WRITE,
    summary="Escalate a disagreement to the procedure's next stage",
)
def disagreement_escalated(
    request: HttpRequest,
    response: HttpResponse,
    body: EscalateIn,
    pk: int = Path(..., ge=1, le=MAX_KEY),
    if_match_header: IfMatch = None,
) -> DisagreementDetailOut:
    """Move it to the next stage of the local procedure's escalation, held by whoever the
    procedure names there; a stage held outside Strategise needs ``outside_name`` and
    ``outside_email``. As whoever raised or holds it, or a social care manager, may
    (``access.may_move``). Send ``If-Match`` with its ETag: if it moved on since, nothing is
    saved (412, with both versions)."""
    detail = _movable(request, pk, if_match_header, body.model_dump(mode="json"), "escalate")
    disagreement_escalate(
        user=api_user(request),
        disagreement=detail.disagreement,
        note=body.note,
        expected_stage=detail.disagreement.stage,
        now=timezone.now(),
        outside_name=body.outside_name,
        outside_email=body.outside_email,
    )
    return _moved(request, response, pk)


@router.post(
    "/disagreements/{pk}/resolve",
    response=MOVED,
    auth=WRITE,
    summary="Record how a disagreement was resolved",
)
def disagreement_resolved(
    request: HttpRequest,
    response: HttpResponse,
    body: ResolveIn,
    pk: int = Path(..., ge=1, le=MAX_KEY),
    if_match_header: IfMatch = None,
) -> DisagreementDetailOut:
    """Record how it was resolved and the outcome, as whoever raised or holds it, or a
    social care manager of the authority, may (``access.may_move``). Send ``If-Match``
    with its ETag: if it moved on since, nothing is saved (412, with both versions)."""
    detail = _movable(request, pk, if_match_header, body.model_dump(mode="json"), "resolve")
    disagreement_resolve(
        user=api_user(request),
        disagreement=detail.disagreement,
        resolution=body.resolution,
        outcome=body.outcome,
        now=timezone.now(),
    )
    return _moved(request, response, pk)
