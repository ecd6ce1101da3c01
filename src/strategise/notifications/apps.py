from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """In-app notifications (and their emails): reminders, alerts, digests, escalations."""

    name = "strategise.notifications"
    label = "notifications"
    verbose_name = "Notifications"
