"""Background tasks of notifications: each email goes from a worker, at most once."""

from __future__ import annotations

from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from strategise.notifications.models import Notification
from strategise.web.links import absolute_url_for


@task()
def notification_email_send(notification_id: int) -> bool:
    """Email one notification to its user; a second run finds it sent and does nothing."""
    return notification_email_deliver(notification_id, mailer=mailers.default)


def notification_email_deliver(notification_id: int, *, mailer: BaseEmailBackend) -> bool:
    """Email one notification to its user through ``mailer``, once (what the task does)."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None or not notification.user.email:
            return False
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
        message = EmailMessage(
            subject=notification.subject, body=body, to=[notification.user.email]
        )
        mailer.send_messages([message])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True
