"""Webhooks: events written with their change, delivered signed to a real receiver on
loopback, retried after a failure with a computed back-off, logged, and replayed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from strategise.audit.models import AuditEvent
from strategise.clocks.services import clocks_mark_breached
from strategise.integrations import sending, signing
from strategise.integrations.encryption import decrypt
from strategise.integrations.models import (
    DeliveryStatus,
    Event,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from strategise.integrations.services import (
    MAX_ATTEMPTS,
    body_of,
    retry_delay,
    webhook_delivery_attempt,
    webhook_emit,
    webhook_endpoint_create,
    webhooks_due,
)
from strategise.integrations.tasks import webhooks_tick
from strategise.organisations.models import LocalAuthority, User
from strategise.policy import LONDON
from strategise.problems import Problem
from strategise.requests.models import StrategyRequest
from tests.clocks.support import held_discussion
from tests.discussions.support import NOW, make_child, make_request
from tests.integrations.receiver import Received, Receiver, receiver
from tests.web.recording.support import approved_minutes

Capture = Callable[..., Any]


def verified(secret: str, received: Received, *, now: int | None = None) -> bool:
    """The Standard Webhooks check, written from the specification (not Strategise's code):
    base64 HMAC-SHA256 under the key after ``whsec_`` of ``id.timestamp.body``."""
    key = base64.b64decode(secret.split("_", 1)[1])
    headers = received.headers
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + received.body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    moment = int(timezone.now().timestamp()) if now is None else now
    fresh = abs(moment - int(headers["webhook-timestamp"])) <= 300
    return fresh and any(
        hmac.compare_digest(expected, offered) for offered in headers["webhook-signature"].split()
    )


def _endpoint(
    authority: LocalAuthority, url: str, events: list[str] | None = None
) -> WebhookEndpoint:
    endpoint, _ = _endpoint_and_secret(authority, url, events)
    return endpoint


def _endpoint_and_secret(
    authority: LocalAuthority, url: str, events: list[str] | None = None
) -> tuple[WebhookEndpoint, str]:
    return webhook_endpoint_create(
        authority=authority, url=url, events=events or list(Event.values), now=NOW
    )


@pytest.fixture
def hook() -> Iterator[Receiver]:
    with receiver() as running:
        yield running


def test_a_discussion_held_sends_its_events_signed_to_the_receiver(
    authority: LocalAuthority,
    social_worker: User,
    team_manager: User,
    hook: Receiver,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    endpoint, secret = _endpoint_and_secret(authority, hook.url)
    with django_capture_on_commit_callbacks(execute=True):
        discussion = held_discussion(social_worker, team_manager)
        approved_minutes(discussion, team_manager)
    types = [json.loads(got.body)["type"] for got in hook.received]
    assert types == [
        "request.created",
        "discussion.convened",
        "discussion.concluded",
        "minutes.approved",
    ]
    for got in hook.received:
        assert got.path == "/hooks"
        assert got.headers["content-type"] == "application/json"
        assert verified(secret, got)
        assert signing.signature_valid(
            secret=secret,
            headers=got.headers,
            body=got.body,
            now=int(timezone.now().timestamp()),
        )
        tampered = got.body.replace(b'"type"', b'"typo"')
        assert not verified(secret, Received(got.path, got.headers, tampered))
    assert not verified(signing.secret_make(), hook.received[0])
    concluded = json.loads(hook.received[2].body)
    child = discussion.request.children.get()
    assert concluded["authority"] == "sandwell"
    assert concluded["data"]["discussion"]["id"] == discussion.pk
    assert concluded["data"]["decisions"] == [
        {
            "child_id": child.pk,
            "local_reference": child.local_reference,
            "outcome": "s47_joint",
            "also": ["recommend_icpc"],
        }
    ]
    assert {clock["code"] for clock in concluded["data"]["clocks"]} >= {"icpc_held"}
    assert concluded["data"]["children"] == [
        {"id": child.pk, "local_reference": child.local_reference}
    ]
    # Ids, references and states: no name, date of birth, narrative or rationale.
    every_body = b"".join(got.body for got in hook.received).decode()
    for personal in (
        child.first_name,
        child.last_name,
        str(child.date_of_birth),
        "Bruising seen at school",
        "Unexplained bruising",
        team_manager.last_name,
    ):
        assert personal not in every_body
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}
    attempts = WebhookAttempt.objects.order_by("pk")
    assert [(a.number, a.status_code, a.succeeded) for a in attempts] == [(1, 200, True)] * 4
    assert attempts[0].response_excerpt == '{"ok": true}'
    emitted = AuditEvent.objects.filter(action="webhook-emit").order_by("pk")
    assert [e.detail["event"] for e in emitted] == types
    assert all(e.child_ids == [child.pk] for e in emitted)


def test_a_500_is_tried_again_after_the_back_off_with_the_same_event_id(
    authority: LocalAuthority,
    social_worker: User,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with receiver(500) as hook:
        _, secret = _endpoint_and_secret(authority, hook.url, ["request.created"])
        with django_capture_on_commit_callbacks(execute=True):
            make_request(social_worker, [make_child(social_worker, "Amara")])
        delivery = WebhookDelivery.objects.get()
        first = delivery.attempt_log.get()
        assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
        assert (first.status_code, first.succeeded) == (500, False)
        assert first.response_excerpt == "Internal trouble: try later"
        assert first.error == "HTTP 500"
        retry_at = first.at + timedelta(minutes=1)
        assert delivery.next_attempt_at == first.next_attempt_at == retry_at
        # Not due a second before; due at its time, when the tick enqueues it.
        assert webhooks_due(now=retry_at - timedelta(seconds=1)) == []
        assert webhooks_due(now=retry_at) == [delivery.pk]
        # The tick enqueues its try, which the worker makes at that time.
        with time_machine.travel(retry_at, tick=False):
            assert webhooks_tick.call(retry_at.isoformat()) == 1
        delivery.refresh_from_db()
        second = delivery.attempt_log.get(number=2)
    assert (delivery.status, delivery.attempts, second.status_code) == ("delivered", 2, 200)
    assert delivery.delivered_at == retry_at and delivery.next_attempt_at is None
    assert len(hook.received) == 2
    ids = {got.headers["webhook-id"] for got in hook.received}
    assert ids == {delivery.event_id}
    assert hook.received[0].body == hook.received[1].body == body_of(delivery)
    assert verified(secret, hook.received[1], now=int(retry_at.timestamp()))


def test_the_back_off_doubles_each_time_until_the_delivery_fails() -> None:
    waits = [retry_delay(n) for n in range(1, MAX_ATTEMPTS)]
    assert waits == [timedelta(minutes=2**n) for n in range(MAX_ATTEMPTS - 1)]
    assert sum(waits, timedelta()) == timedelta(minutes=511)
    assert retry_delay(20) == timedelta(hours=6)


def _request_delivery(authority: LocalAuthority, social_worker: User) -> WebhookDelivery:
    """A request raised, and its event's delivery to an endpoint (not yet tried)."""
    _endpoint(authority, "https://cases.example.gov.uk/hooks", ["request.created"])
    make_request(social_worker, [make_child(social_worker, "Amara")])
    return WebhookDelivery.objects.get()


def _failing(**kwargs: Any) -> sending.Answer:
    return sending.Answer(503, "busy", "HTTP 503", 1)


def test_a_delivery_failing_every_try_follows_the_schedule_then_fails(
    authority: LocalAuthority, social_worker: User
) -> None:
    delivery = _request_delivery(authority, social_worker)
    moment = delivery.next_attempt_at
    assert moment is not None
    times = []
    for _ in range(MAX_ATTEMPTS):
        assert webhook_delivery_attempt(delivery_id=delivery.pk, now=moment, post=_failing)
        times.append(moment)
        delivery.refresh_from_db()
        if delivery.next_attempt_at is None:
            break
        # Tried again only when its time comes.
        assert (
            webhook_delivery_attempt(
                delivery_id=delivery.pk, now=delivery.next_attempt_at - timedelta(seconds=1)
            )
            is None
        )
        moment = delivery.next_attempt_at
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, MAX_ATTEMPTS)
    gaps = [later - earlier for earlier, later in zip(times, times[1:], strict=False)]
    assert gaps == [retry_delay(n) for n in range(1, MAX_ATTEMPTS)]
    assert webhook_delivery_attempt(delivery_id=delivery.pk, now=moment + timedelta(days=1)) is None


def test_a_try_holds_its_delivery_so_a_second_worker_sends_nothing(
    authority: LocalAuthority, social_worker: User
) -> None:
    delivery = _request_delivery(authority, social_worker)
    at = delivery.next_attempt_at
    assert at is not None
    calls: list[str] = []

    def second_worker(**kwargs: Any) -> sending.Answer:
        calls.append("second")
        return sending.Answer(200, "", "", 1)

    def first_worker(**kwargs: Any) -> sending.Answer:
        calls.append("first")
        # Meanwhile another worker is handed the same delivery: it is held.
        assert webhook_delivery_attempt(delivery_id=delivery.pk, now=at, post=second_worker) is None
        return sending.Answer(200, "", "", 1)

    webhook_delivery_attempt(delivery_id=delivery.pk, now=at, post=first_worker)
    assert calls == ["first"]


def test_a_redirect_is_refused_not_followed(
    authority: LocalAuthority, social_worker: User, django_capture_on_commit_callbacks: Capture
) -> None:
    with receiver(302) as hook:
        _endpoint(authority, hook.url, ["request.created"])
        with django_capture_on_commit_callbacks(execute=True):
            make_request(social_worker, [make_child(social_worker, "Amara")])
    attempt = WebhookAttempt.objects.get()
    assert [got.path for got in hook.received] == ["/hooks"]
    assert (attempt.status_code, attempt.succeeded) == (302, False)
    assert "redirects are not followed" in attempt.error
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING


def test_a_receiver_that_never_answers_times_out() -> None:
    with receiver(silent=True) as hook:
        answer = sending.post(url=hook.url, body=b"{}", headers={}, timeout=0.5)
    assert (answer.status_code, answer.succeeded) == (None, False)
    assert "timed out" in answer.error


def test_nothing_answering_is_a_failed_try_not_an_error() -> None:
    with receiver() as hook:
        url = hook.url
    answer = sending.post(url=url, body=b"{}", headers={}, timeout=2)
    assert answer.status_code is None and answer.error


def test_the_secret_is_never_logged_shown_or_recorded(
    authority: LocalAuthority,
    social_worker: User,
    django_capture_on_commit_callbacks: Capture,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    with receiver(500, 500) as hook:
        endpoint, secret = _endpoint_and_secret(authority, hook.url)
        with django_capture_on_commit_callbacks(execute=True):
            make_request(social_worker, [make_child(social_worker, "Amara")])
    call_command("webhooks_endpoint", "--authority", "sandwell", "list")
    call_command("webhooks_log", "--authority", "sandwell")
    shown = capsys.readouterr().out
    assert hook.url in shown and "HTTP 500" in shown
    key = secret.removeprefix("whsec_")
    records = [
        *(str(row) for row in WebhookEndpoint.objects.values()),
        *(str(row) for row in WebhookAttempt.objects.values()),
        *(str(row) for row in WebhookDelivery.objects.values()),
        *(str(row) for row in AuditEvent.objects.values("detail")),
        str(endpoint),
        repr(endpoint),
        caplog.text,
        shown,
        *(str(got.headers) + got.body.decode() for got in hook.received),
    ]
    assert not [record for record in records if key in record]


def test_no_endpoint_means_no_delivery_and_no_audit(
    authority: LocalAuthority,
    social_worker: User,
    team_manager: User,
    other_authority_social_worker: User,
    hook: Receiver,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    # Another authority's endpoint, one switched off and one for other events hear nothing.
    other = LocalAuthority.objects.exclude(pk=authority.pk).get()
    _endpoint(other, hook.url)
    off = _endpoint(authority, hook.url, ["request.created"])
    WebhookEndpoint.objects.filter(pk=off.pk).update(active=False)
    _endpoint(authority, hook.url, ["clock.breached"])
    with django_capture_on_commit_callbacks(execute=True):
        held_discussion(social_worker, team_manager)
    assert hook.received == []
    assert not WebhookDelivery.objects.exists()
    assert not AuditEvent.objects.filter(action="webhook-emit").exists()


def test_a_clock_breached_is_sent(
    authority: LocalAuthority,
    social_worker: User,
    team_manager: User,
    hook: Receiver,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    discussion = held_discussion(social_worker, team_manager)
    _endpoint(authority, hook.url, ["clock.breached"])
    with django_capture_on_commit_callbacks(execute=True):
        breached = clocks_mark_breached(now=datetime(2026, 3, 6, 10, 0, tzinfo=LONDON))
    assert len(breached) == 1
    sent = json.loads(hook.received[0].body)
    assert sent["type"] == "clock.breached"
    assert sent["data"]["clock"] | {"started_at": None} == {
        "id": breached[0].pk,
        "code": "decisions_circulated",
        "request_id": discussion.request_id,
        "discussion_id": discussion.pk,
        "child_id": breached[0].child_id,
        "state": "breached",
        "started_at": None,
        "due_at": breached[0].due_at.isoformat(),
        "breached_at": "2026-03-06T10:00:00+00:00",
    }


def test_an_event_rolled_back_with_its_change_is_never_sent(
    authority: LocalAuthority,
    social_worker: User,
    hook: Receiver,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    make_request(social_worker, [make_child(social_worker, "Amara")])
    _endpoint(authority, hook.url)
    request = StrategyRequest.objects.get()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            webhook_emit(event=Event.REQUEST_CREATED, subject=request, now=NOW)
            raise RuntimeError("the change failed")
    assert not WebhookDelivery.objects.exists()
    assert hook.received == []


def test_replay_sends_an_event_again_and_since_replays_what_failed(
    authority: LocalAuthority,
    social_worker: User,
    django_capture_on_commit_callbacks: Capture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with receiver(500) as hook:
        _endpoint(authority, hook.url, ["request.created"])
        with django_capture_on_commit_callbacks(execute=True):
            make_request(social_worker, [make_child(social_worker, "Amara")])
            make_request(social_worker, [make_child(social_worker, "Leo")])
        failed, delivered = WebhookDelivery.objects.order_by("pk")
        assert (failed.status, delivered.status) == ("pending", "delivered")
        WebhookDelivery.objects.filter(pk=failed.pk).update(status=DeliveryStatus.FAILED)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("webhooks_replay", "--delivery", str(delivered.pk))
            call_command("webhooks_replay", "--since", "2026-01-01T00:00")
    out = capsys.readouterr().out
    replays = WebhookDelivery.objects.filter(replay_of__isnull=False).order_by("pk")
    assert [(r.replay_of_id, r.event_id, r.status) for r in replays] == [
        (delivered.pk, delivered.event_id, "delivered"),
        (failed.pk, failed.event_id, "delivered"),
    ]
    assert f"Delivery {delivered.pk} replayed as delivery {replays[0].pk}" in out
    assert [got.headers["webhook-id"] for got in hook.received[2:]] == [
        delivered.event_id,
        failed.event_id,
    ]
    assert AuditEvent.objects.filter(action="webhook-replay").count() == 2
    with pytest.raises(CommandError, match="either --delivery"):
        call_command("webhooks_replay")
    with pytest.raises(CommandError, match="No delivery 999"):
        call_command("webhooks_replay", "--delivery", "999")


def test_an_endpoint_is_added_with_its_secret_shown_once(
    authority: LocalAuthority, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command(
        "webhooks_endpoint",
        "--authority",
        "sandwell",
        "add",
        "https://cases.example.gov.uk/hooks",
        "--event",
        "minutes.approved",
        "--event",
        "request.created",
    )
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["request.created", "minutes.approved"]
    secret = decrypt(endpoint.secret_encrypted)
    assert secret.startswith("whsec_") and secret in capsys.readouterr().out
    call_command("webhooks_endpoint", "--authority", "sandwell", "disable", str(endpoint.pk))
    call_command("webhooks_endpoint", "--authority", "sandwell", "list")
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert secret not in capsys.readouterr().out
    with pytest.raises(CommandError, match="must start with https://"):
        call_command(
            "webhooks_endpoint",
            "--authority",
            "sandwell",
            "add",
            "http://cases.example.gov.uk/",
            "--event",
            "all",
        )
    with pytest.raises(CommandError, match="No local authority has the slug 'nowhere'"):
        call_command("webhooks_endpoint", "--authority", "nowhere", "list")


@pytest.mark.parametrize(
    ("url", "events", "field", "message"),
    [
        ("cases.example.gov.uk", ["request.created"], "url", "full address"),
        ("ftp://cases.example.gov.uk/", ["request.created"], "url", "https://"),
        ("https://me:pw@cases.example.gov.uk/", ["request.created"], "url", "password"),
        ("https://cases.example.gov.uk/", [], "events", "at least one"),
        ("https://cases.example.gov.uk/", ["child.deleted"], "events", "child.deleted"),
    ],
)
def test_an_endpoint_with_a_bad_address_or_events_is_refused(
    authority: LocalAuthority, url: str, events: list[str], field: str, message: str
) -> None:
    with pytest.raises(Problem) as refused:
        webhook_endpoint_create(authority=authority, url=url, events=events, now=NOW)
    assert refused.value.errors[0][0] == field and message in refused.value.errors[0][1]
    assert not WebhookEndpoint.objects.exists()
