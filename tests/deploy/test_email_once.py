"""A notification's email goes at most once, even when sending fails or the worker dies."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend
from django.test import override_settings

from strategise.links import Target, TargetKind
from strategise.notifications.models import Kind, Notification
from strategise.notifications.services import notify
from strategise.notifications.tasks import message_id, notification_email_send
from strategise.organisations.models import User
from strategise.policy import LONDON

MONDAY = datetime(2026, 3, 9, 9, 0, tzinfo=LONDON)


def _notification(user: User) -> Notification:
    notification = notify(
        user=user,
        kind=Kind.OVERDUE,
        text="Strategy discussion held for request 7 is overdue.",
        target=Target(TargetKind.REQUEST, 7),
        dedupe_key="test:once",
        now=MONDAY,
    )
    assert notification is not None
    return notification


def _crash_after_delivery(backend: Any, messages: list[EmailMessage]) -> int:
    """The server took the message, then the connection failed before the sender heard."""
    mail.outbox.extend(messages)
    raise ConnectionResetError("connection reset by peer after DATA")


def test_the_email_carries_a_message_id_made_from_the_notification(social_worker: User) -> None:
    notification = _notification(social_worker)
    assert notification_email_send.call(notification.pk) is True
    assert (
        mail.outbox[0].extra_headers["Message-ID"] == f"<notification-{notification.pk}@localhost>"
    )
    assert message_id(notification) == message_id(Notification.objects.get(pk=notification.pk))


@override_settings(DEFAULT_FROM_EMAIL="Strategise <no-reply@strategise.example.gov.uk>")
def test_the_message_id_uses_the_senders_domain(social_worker: User) -> None:
    notification = _notification(social_worker)
    assert message_id(notification) == (
        f"<notification-{notification.pk}@strategise.example.gov.uk>"
    )


def test_the_claim_is_committed_before_the_email_goes(social_worker: User) -> None:
    notification = _notification(social_worker)
    seen: list[tuple[bool, bool]] = []

    def look_then_send(backend: Any, messages: list[EmailMessage]) -> int:
        stored = Notification.objects.get(pk=notification.pk)
        seen.append((stored.email_claimed_at is not None, stored.emailed_at is not None))
        mail.outbox.extend(messages)
        return len(messages)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", look_then_send)
        assert notification_email_send.call(notification.pk) is True
    assert seen == [(True, False)]
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_a_send_that_fails_after_the_claim_is_not_sent_again(
    social_worker: User, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    notification = _notification(social_worker)
    monkeypatch.setattr(EmailBackend, "send_messages", _crash_after_delivery)
    with caplog.at_level(logging.ERROR), pytest.raises(ConnectionResetError):
        notification_email_send.call(notification.pk)
    assert f"The email of notification {notification.pk} may not have been sent" in caplog.text
    monkeypatch.undo()
    # Run again, by hand or by a worker that picked the task up again: nothing more goes.
    assert notification_email_send.call(notification.pk) is False
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.email_claimed_at is not None
    assert notification.emailed_at is None
