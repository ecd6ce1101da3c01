"""Strategy discussion requests: list, read, and raise one (triaged as the form does)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Path, Query, Router, Status

from strategise.access import can_raise_requests
from strategise.api.auth import READ, WRITE, api_user
from strategise.api.paging import MAX_KEY, PageFilter, listing
from strategise.api.problems import ApiError, ProblemDetails
from strategise.api.schemas import RequestIn, RequestOut, RequestPage, request_out
from strategise.api.versions import IdempotencyKey, idempotency_token, with_etag
from strategise.cases.family import adults_around
from strategise.cases.selectors import children_for_request
from strategise.organisations.selectors import authority_directory
from strategise.requests.models import RequestStatus
from strategise.requests.selectors import request_get, request_list
from strategise.requests.services import Perpetrator, request_create

router = Router(tags=["requests"])


class RequestFilter(PageFilter):
    status: RequestStatus | None = None


@router.get("/requests", response=RequestPage, auth=READ, summary="List requests")
def requests(
    request: HttpRequest, response: HttpResponse, filters: Query[RequestFilter]
) -> dict[str, object]:
    """The requests you may see, newest first."""
    return listing(
        request, response, filters, request_list, request_out, status=filters.status or ""
    )


@router.get("/requests/{pk}", response=RequestOut, auth=READ, summary="Read a request")
def strategy_request(
    request: HttpRequest, response: HttpResponse, pk: int = Path(..., ge=1, le=MAX_KEY)
) -> RequestOut:
    """A request, with the triage answer it got (frozen when it was raised)."""
    detail = request_get(user=api_user(request), pk=pk)
    with_etag(response, detail.request.version)
    return request_out(detail.request, [child.pk for child in detail.children])


@router.post(
    "/requests",
    response={201: RequestOut, 403: ProblemDetails},
    auth=WRITE,
    summary="Raise a request",
)
def request_raise(
    request: HttpRequest,
    response: HttpResponse,
    body: RequestIn,
    idempotency_key: IdempotencyKey = None,
) -> object:
    """Raise a strategy discussion request: it is triaged against your authority's
    procedure exactly as the form's is. Send ``Idempotency-Key`` so that sending it again
    (after a lost answer) gives the request the first raised, not a second one."""
    user = api_user(request)
    if not can_raise_requests(user):
        raise ApiError(403, "Only children's social care can raise a strategy discussion request")
    token = idempotency_token(idempotency_key)
    children = children_for_request(user=user, pks=body.children)
    if len(children) != len(set(body.children)):
        raise ApiError(
            422,
            "One of the children is not one you may see",
            errors=[("children", "Use the ids of children found with GET /children")],
        )
    around = {a.adult.pk: a for a in adults_around(user=user, children=children)}
    unknown = [pk for pk in body.alleged_perpetrators if pk not in around]
    if unknown:
        raise ApiError(
            422,
            "An alleged perpetrator is not an adult recorded around these children",
            errors=[("alleged_perpetrators", "Use the ids of adults linked to the children")],
        )
    workers = {
        worker.pk: worker
        for worker in authority_directory(user=user).users_of_kind("childrens_social_care")
    }
    if body.allocated_worker is not None and body.allocated_worker not in workers:
        raise ApiError(
            422,
            "The allocated social worker is not in your authority's children's social care",
            errors=[("allocated_worker", "Use the id of a social worker of your authority")],
        )
    perpetrators = [
        Perpetrator(
            name=around[pk].adult.full_name,
            position_of_trust=around[pk].position_of_trust,
            role=around[pk].adult.occupation,
            adult=around[pk].adult,
        )
        for pk in dict.fromkeys(body.alleged_perpetrators)
    ] + [
        Perpetrator(
            name=f"{new.first_name} {new.last_name}".strip(),
            role=new.role.strip(),
            position_of_trust=new.position_of_trust,
            first_name=new.first_name.strip(),
            last_name=new.last_name.strip(),
        )
        for new in body.new_alleged_perpetrators
    ]
    created = request_create(
        user=user,
        identified_at=body.identified_at,
        children=children,
        concerns=list(dict.fromkeys(body.concerns)),
        flags=list(dict.fromkeys(body.flags)),
        referrer=body.referrer.strip(),
        narrative=body.narrative.strip(),
        perpetrators=perpetrators,
        allocated_worker=workers.get(body.allocated_worker) if body.allocated_worker else None,
        now=timezone.now(),
        token=token,
    )
    response["Location"] = f"/api/v1/requests/{created.pk}"
    with_etag(response, created.version)
    return Status(201, request_out(created))
