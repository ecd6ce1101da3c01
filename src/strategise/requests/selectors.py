"""Reading strategy discussion requests, scoped to the user and audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.shortcuts import get_object_or_404

from strategise.access import visible_discussions, visible_requests
from strategise.audit.services import audit_record
from strategise.cases.models import Child
from strategise.discussions.models import Discussion
from strategise.organisations.models import User
from strategise.requests.models import AllegedPerpetrator, StrategyRequest


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
