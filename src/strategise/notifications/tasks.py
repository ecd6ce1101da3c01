"""Background tasks of notifications: each email goes from a worker, at most once."""

from __future__ import annotations

import logging
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from strategise.notifications.models import Notification
from strategise.web.links import absolute_url_for

logger = logging.getLogger(__name__)


def message_id(notification: Notification) -> str:
    """The email's Message-ID, the same every time for one notification, so that a copy
    sent again by hand is recognised by mail systems as the same message."""
    sender_domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    domain = sender_domain or urlsplit(settings.STRATEGISE_BASE_URL).hostname or "localhost"
    return f"<notification-{notification.pk}@{domain}>"


def _email(notification: Notification) -> EmailMessage:
    target = notification.target
    link = absolute_url_for(target) if target else ""
    body = "\n".join(
        [
            f"Dear {notification.user.get_full_name() or notification.user.username},",
            "",
            notification.text,
            *(["", f"Open Strategise: {link}"] if link else []),
            "",
            "You are getting this email because you use Strategise. Case details are "
            "in Strategise, not in email.",
        ]
    )
    return EmailMessage(
        subject=notification.subject,
        body=body,
        to=[notification.user.email],
        headers={"Message-ID": message_id(notification)},
    )


def _claim(notification_id: int) -> Notification | None:
    """Claim the notification's email for this run, committed before anything is sent."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=notification_id, emailed_at__isnull=True, email_claimed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.user.email:
            return None
        notification.email_claimed_at = timezone.now()
        notification.save(update_fields=["email_claimed_at"])
    return notification


@task()
def notification_email_send(notification_id: int) -> bool:
    """Email one notification to its user, at most once: a run that finds it sent, or
    claimed by a run that failed or died while sending, sends nothing."""
    return notification_email_deliver(notification_id, mailer=mailers.default)


def notification_email_deliver(notification_id: int, *, mailer: BaseEmailBackend) -> bool:
    """Email one notification to its user through ``mailer``, at most once (what the task
    does; the demo passes a mailer that sends nothing)."""
    notification = _claim(notification_id)
    if notification is None:
        return False
    try:
        mailer.send_messages([_email(notification)])
    except Exception:
        # Perhaps the server took the message before failing: never risk sending it twice.
        # The notification is still in Strategise for its user to see.
        logger.exception(
            "The email of notification %s may not have been sent; it will not be retried",
            notification.pk,
        )
        raise
    Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return True
