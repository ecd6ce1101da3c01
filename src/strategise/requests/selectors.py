"""Reading strategy discussion requests, scoped to the user and audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.shortcuts import get_object_or_404

from strategise.access import visible_discussions, visible_requests
from strategise.audit.listing import Listed, audited_page
from strategise.audit.services import audit_record
from strategise.cases.models import Child
from strategise.discussions.models import Discussion
from strategise.organisations.models import User
from strategise.requests.models import AllegedPerpetrator, RequestChild, StrategyRequest


@dataclass(frozen=True)
class RequestDetail:
    request: StrategyRequest
    children: list[Child]
    perpetrators: list[AllegedPerpetrator]
    discussions: list[Discussion]


def request_get(*, user: User, pk: int) -> RequestDetail:
    """One request the user may see (404 otherwise), with the read audited."""
    with transaction.atomic():
        request = get_object_or_404(
            visible_requests(user).select_related("local_authority", "raised_by"), pk=pk
        )
        detail = RequestDetail(
            request=request,
            children=list(request.children.order_by("pk")),
            perpetrators=list(request.alleged_perpetrators.order_by("pk")),
            discussions=list(
                visible_discussions(user).filter(request=request).select_related("chair")
            ),
        )
        audit_record(
            user=user, action="view", obj=request, children=[c.pk for c in detail.children]
        )
    return detail


def children_of_requests(requests: Iterable[int]) -> list[int]:
    """The ids of the children of the requests ``requests`` (for the audit of a list of
    them, or of what hangs off them)."""
    return list(
        RequestChild.objects.filter(request__in=set(requests)).values_list("child_id", flat=True)
    )


def request_list(
    *, user: User, before: int | None = None, limit: int = 25, status: str = ""
) -> Listed[StrategyRequest]:
    """A page of the requests the user may see, newest first (of ``status``, if given)."""
    requests = visible_requests(user).prefetch_related("children")
    if status:
        requests = requests.filter(status=status)
    return audited_page(
        user=user,
        records=requests,
        before=before,
        limit=limit,
        children_of=lambda listed: children_of_requests(r.pk for r in listed),
        detail={"status": status} if status else None,
    )
