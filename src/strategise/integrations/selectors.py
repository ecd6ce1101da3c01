"""Reading an authority's webhook endpoints and their delivery log (never the secrets)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from strategise.access import visible_webhook_endpoints
from strategise.integrations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from strategise.organisations.models import LocalAuthority, User

LOG_SIZE = 50


def endpoints_of(*, authority: LocalAuthority) -> QuerySet[WebhookEndpoint]:
    """The authority's endpoints, oldest first."""
    return WebhookEndpoint.objects.filter(local_authority=authority).order_by("pk")


def delivery_log(
    *, authority: LocalAuthority | int, endpoint: int | None = None, limit: int = LOG_SIZE
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


@dataclass(frozen=True)
class WebhookSettings:
    endpoints: list[WebhookEndpoint]
    deliveries: list[WebhookDelivery]


def webhook_settings(*, user: User) -> WebhookSettings:
    """An administrator's authority's endpoints and newest deliveries (nothing for anyone
    else: ``access.visible_webhook_endpoints``)."""
    endpoints = list(visible_webhook_endpoints(user).order_by("pk"))
    if not endpoints:
        return WebhookSettings([], [])
    return WebhookSettings(
        endpoints,
        delivery_log(authority=endpoints[0].local_authority_id, limit=LOG_SIZE),
    )


def webhook_endpoint_of(*, user: User, pk: int) -> WebhookEndpoint | None:
    """One of the administrator's authority's endpoints, or None."""
    return visible_webhook_endpoints(user).filter(pk=pk).first()
