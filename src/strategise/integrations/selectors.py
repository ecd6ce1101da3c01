"""Reading an authority's webhook endpoints and their delivery log (never the secrets)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from strategise.integrations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from strategise.organisations.models import LocalAuthority

LOG_SIZE = 50


def endpoints_of(*, authority: LocalAuthority) -> QuerySet[WebhookEndpoint]:
    """The authority's endpoints, oldest first."""
    return WebhookEndpoint.objects.filter(local_authority=authority).order_by("pk")


def delivery_log(
    *, authority: LocalAuthority, endpoint: int | None = None, limit: int = LOG_SIZE
) -> list[WebhookDelivery]:
    """The authority's newest deliveries, each with its tries in order."""
    found = WebhookDelivery.objects.filter(endpoint__local_authority=authority)
    if endpoint is not None:
        found = found.filter(endpoint_id=endpoint)
    return list(
        found.select_related("endpoint")
        .prefetch_related(
            Prefetch("attempt_log", queryset=WebhookAttempt.objects.order_by("number"))
        )
        .order_by("-created_at", "-pk")[:limit]
    )
