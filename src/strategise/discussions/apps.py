from django.apps import AppConfig


class DiscussionsConfig(AppConfig):
    """Convening a strategy discussion: format, time, chair, invitations and attendance."""

    name = "strategise.discussions"
    label = "discussions"
    verbose_name = "Strategy discussions"
