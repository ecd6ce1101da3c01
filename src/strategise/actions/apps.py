from django.apps import AppConfig


class ActionsConfig(AppConfig):
    """Who does what by when."""

    name = "strategise.actions"
    label = "actions"
    verbose_name = "Actions"
