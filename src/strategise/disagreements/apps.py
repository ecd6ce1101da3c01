from django.apps import AppConfig


class DisagreementsConfig(AppConfig):
    """Professional disagreements and their escalation through the procedure's stages."""

    name = "strategise.disagreements"
    label = "disagreements"
    verbose_name = "Professional disagreements"
