"""Webhooks: endpoints made and switched, events written to the outbox with the change
that caused them, and each delivery tried by the task worker.

``webhook_emit`` is called inside the transaction of the service whose change is the
event (raising a request, convening, concluding, approving minutes, a clock's breach):
one ``WebhookDelivery`` per active endpoint of the authority that takes the event, and
its first try enqueued when the transaction commits. An authority with no endpoints costs
one query and writes nothing.

A try claims its delivery (``next_attempt_at`` moved a lease ahead, committed) before it
sends, so two workers never send one delivery at once; a failed try is retried after
``retry_delay``, doubling each time, by the clock tick's ``webhooks_tick``. Delivery is at
least once: a receiver that answered too slowly may hear an event twice, with the same
``webhook-id``.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from strategise.audit.services import audit_record
from strategise.integrations import addresses, encryption, payloads, sending, signing
from strategise.integrations.models import (
    DeliveryStatus,
    Event,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from strategise.organisations.models import LocalAuthority, User
from strategise.problems import Problems

# The first retry a minute after a failed try, then 2, 4, 8 … minutes: ten tries over
# about eight and a half hours, then the delivery is failed (and may be replayed).
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)
MAX_ATTEMPTS = 10
# How long a try holds its delivery: far longer than the client's timeouts.
LEASE = timedelta(minutes=5)
BATCH = 200

Poster = Callable[..., sending.Answer]


def retry_delay(attempts: int) -> timedelta:
    """How long after its ``attempts``-th failed try a delivery is tried again."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_WAIT)


def private_allowed() -> bool:
    """Whether endpoints on internal addresses are allowed (the test suite's receiver)."""
    return bool(getattr(settings, "STRATEGISE_WEBHOOKS_ALLOW_PRIVATE", False))


def endpoint_problems(*, url: str, events: Iterable[str]) -> Problems:
    """What is wrong with an endpoint's address and events. The address must be
    ``https://`` (plain ``http://`` only to this machine, where internal addresses are
    allowed) on a host
    every address of which is on the public internet (``integrations.addresses``)."""
    problems = Problems()
    if not encryption.configured_keys():
        problems.add(
            "Webhooks cannot be set up on this instance yet: it has no key to encrypt their "
            "secrets with (STRATEGISE_FIELD_KEY). Ask whoever runs Strategise to set one."
        )
    parts = urlsplit(url.strip())
    try:
        host = parts.hostname or ""
        parts.port  # noqa: B018 - a port out of range raises
    except ValueError:
        host = ""
    allowed = private_allowed()
    if not host:
        problems.add(
            "Enter the endpoint's full address, like https://cases.example.gov.uk/hooks", "url"
        )
    elif parts.scheme != "https" and not (
        parts.scheme == "http" and allowed and addresses.loopback_named(host)
    ):
        problems.add("The endpoint's address must start with https://", "url")
    elif parts.username or parts.password:
        problems.add("Leave the user name and password out of the endpoint's address", "url")
    else:
        try:
            addresses.target(url.strip(), allow_private=allowed)
        except addresses.Refused as refused:
            problems.add(f"Enter a different address: {refused}", "url")
    chosen = list(events)
    unknown = sorted(set(chosen) - set(Event.values))
    if not chosen:
        problems.add("Choose at least one event to send", "events")
    elif unknown:
        problems.add(
            f"Choose events from: {', '.join(Event.values)} (not {', '.join(unknown)})", "events"
        )
    return problems


def webhook_endpoint_create(
    *,
    authority: LocalAuthority,
    url: str,
    events: list[str],
    description: str = "",
    user: User | None = None,
    now: datetime,
) -> tuple[WebhookEndpoint, str]:
    """An endpoint for the authority's case system, and its new secret: stored encrypted,
    returned here to be shown once and never again."""
    endpoint_problems(url=url, events=events).raise_any()
    secret = signing.secret_make()
    with transaction.atomic(durable=True):
        endpoint = WebhookEndpoint.objects.create(
            local_authority=authority,
            url=url.strip(),
            secret_encrypted=encryption.encrypt(secret),
            events=sorted(set(events), key=Event.values.index),
            description=description.strip(),
            created_at=now,
        )
        audit_record(
            user=user,
            action="webhook-endpoint-create",
            obj=endpoint,
            authority=authority,
            detail={"url": endpoint.url, "events": endpoint.events},
        )
    return endpoint, secret


def webhook_endpoint_set_active(
    *, endpoint: WebhookEndpoint, active: bool, user: User | None = None
) -> WebhookEndpoint:
    """Switch an endpoint on or off; while off, its deliveries wait."""
    with transaction.atomic(durable=True):
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        if locked.active != active:
            locked.active = active
            locked.save(update_fields=["active"])
            audit_record(
                user=user,
                action="webhook-endpoint-" + ("enable" if active else "disable"),
                obj=locked,
                authority=locked.local_authority_id,
            )
    return locked


def webhook_emit(*, event: str, subject: Any, now: datetime) -> list[WebhookDelivery]:
    """Write the event's deliveries, one per active endpoint of the subject's authority
    that takes it, in the caller's transaction; each is tried once it commits."""
    authority_id = payloads.authority_of(subject)
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(
            local_authority_id=authority_id, active=True
        ).select_related("local_authority")
        if event in endpoint.events
    ]
    if not endpoints:
        return []
    event_id = f"evt_{uuid.uuid4().hex}"
    body = payloads.payload(
        event=event,
        event_id=event_id,
        authority=endpoints[0].local_authority.slug,
        subject=subject,
        now=now,
    )
    deliveries = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            endpoint=endpoint,
            event_id=event_id,
            event=event,
            payload=body,
            created_at=now,
            next_attempt_at=now,
        )
        for endpoint in endpoints
    )
    children = sorted({child["id"] for child in body["data"].get("children", [])})
    audit_record(
        user=None,
        action="webhook-emit",
        obj=subject,
        children=children,
        authority=authority_id,
        detail={
            "event": event,
            "event_id": event_id,
            "endpoints": [endpoint.pk for endpoint in endpoints],
        },
    )
    _enqueue_on_commit([delivery.pk for delivery in deliveries])
    return deliveries


def _enqueue_on_commit(pks: list[int]) -> None:
    from strategise.integrations.tasks import webhook_delivery_send

    def enqueue() -> None:
        for pk in pks:
            webhook_delivery_send.enqueue(pk)

    transaction.on_commit(enqueue)


def body_of(delivery: WebhookDelivery) -> bytes:
    """The delivery's body, byte for byte as signed and sent (the same on every try)."""
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


def _claim(delivery_id: int, now: datetime) -> WebhookDelivery | None:
    # Not durable: run as a task, the worker's is the outermost transaction, but the test
    # suite's immediate backend runs it inside the test's.
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(
                pk=delivery_id,
                status=DeliveryStatus.PENDING,
                next_attempt_at__lte=now,
                endpoint__active=True,
            )
            .first()
        )
        if delivery is None:
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = now + LEASE
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    return delivery


def webhook_delivery_attempt(
    *, delivery_id: int, now: datetime, post: Poster = sending.post
) -> WebhookAttempt | None:
    """Try to send one delivery whose time has come; the try as logged, or None when it
    is not due (sent, failed, held by another try, or its endpoint switched off)."""
    delivery = _claim(delivery_id, now)
    if delivery is None:
        return None
    answer = _send(delivery, now=now, post=post)
    with transaction.atomic():
        if answer.succeeded:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = now
            delivery.next_attempt_at = None
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        delivery.save(update_fields=["status", "delivered_at", "next_attempt_at"])
        return WebhookAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempts,
            at=now,
            status_code=answer.status_code,
            succeeded=answer.succeeded,
            response_excerpt=answer.excerpt,
            error=answer.error,
            duration_ms=answer.duration_ms,
            next_attempt_at=delivery.next_attempt_at,
        )


def _send(delivery: WebhookDelivery, *, now: datetime, post: Poster) -> sending.Answer:
    """One try: refused before anything is sent if the endpoint's address now resolves to
    an internal one (the try connects to the address checked) or its secret cannot be
    decrypted; each refusal is a failed try, logged with what was wrong."""
    endpoint = delivery.endpoint
    try:
        target = addresses.target(endpoint.url, allow_private=private_allowed())
    except addresses.Refused as refused:
        return sending.Answer(None, "", f"Not sent: {refused}"[:300], 0)
    if not encryption.configured_keys():
        return sending.Answer(
            None, "", f"Not sent: {encryption.KEY_SETTING} is not set, so the secret is sealed", 0
        )
    try:
        secret = encryption.decrypt(endpoint.secret_encrypted)
    except encryption.Undecryptable as undecryptable:
        return sending.Answer(
            None, "", f"Not sent: the endpoint's secret cannot be read: {undecryptable}"[:300], 0
        )
    body = body_of(delivery)
    return post(
        url=endpoint.url,
        body=body,
        headers=signing.headers(
            secret=secret, event_id=delivery.event_id, timestamp=int(now.timestamp()), body=body
        ),
        address=target.address,
    )


def webhook_field_key_rotate() -> int:
    """Every endpoint's secret encrypted again under the first key of
    ``STRATEGISE_FIELD_KEY`` (after a new key is put first), so the old key can be dropped;
    how many were encrypted again."""
    count = 0
    with transaction.atomic(durable=True):
        for endpoint in WebhookEndpoint.objects.select_for_update().only("pk", "secret_encrypted"):
            endpoint.secret_encrypted = encryption.rotate(endpoint.secret_encrypted)
            endpoint.save(update_fields=["secret_encrypted"])
            count += 1
        audit_record(
            user=None,
            action="field-key-rotate",
            object_type=WebhookEndpoint._meta.label,
            detail={"endpoints": count},
        )
    return count


def webhooks_due(*, now: datetime) -> list[int]:
    """The deliveries whose next try is due (for the tick to enqueue), oldest first."""
    return list(
        WebhookDelivery.objects.filter(
            status=DeliveryStatus.PENDING, next_attempt_at__lte=now, endpoint__active=True
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:BATCH]
    )


def webhooks_replay(
    *,
    deliveries: Iterable[WebhookDelivery],
    now: datetime,
    user: User | None = None,
) -> list[WebhookDelivery]:
    """Send these deliveries' events again, each as a new delivery of the same event (same
    ``webhook-id`` and body) to the same endpoint, tried at once; audited."""
    chosen = list(deliveries)
    if not chosen:
        return []
    with transaction.atomic(durable=True):
        made = WebhookDelivery.objects.bulk_create(
            WebhookDelivery(
                endpoint_id=delivery.endpoint_id,
                event_id=delivery.event_id,
                event=delivery.event,
                payload=delivery.payload,
                created_at=now,
                next_attempt_at=now,
                replay_of=delivery,
            )
            for delivery in chosen
        )
        by_authority: dict[int, list[WebhookDelivery]] = {}
        for delivery in WebhookDelivery.objects.filter(pk__in=[d.pk for d in made]).select_related(
            "endpoint"
        ):
            by_authority.setdefault(delivery.endpoint.local_authority_id, []).append(delivery)
        for authority_id, replays in sorted(by_authority.items()):
            audit_record(
                user=user,
                action="webhook-replay",
                object_type=WebhookDelivery._meta.label,
                authority=authority_id,
                detail={
                    "replays": {str(d.replay_of_id): d.pk for d in replays},
                    "events": sorted({d.event_id for d in replays}),
                },
            )
        _enqueue_on_commit([delivery.pk for delivery in made])
    return made


def replay_candidates(
    *, since: datetime, include_delivered: bool = False, endpoint: int | None = None
) -> list[WebhookDelivery]:
    """The deliveries made since ``since`` that a replay would send again: those that
    failed every try (and those delivered, with ``include_delivered``); never one still
    being tried, which its retries will send."""
    statuses = [DeliveryStatus.FAILED]
    if include_delivered:
        statuses.append(DeliveryStatus.DELIVERED)
    found = WebhookDelivery.objects.filter(created_at__gte=since, status__in=statuses)
    if endpoint is not None:
        found = found.filter(endpoint_id=endpoint)
    return list(found.order_by("created_at", "pk"))
