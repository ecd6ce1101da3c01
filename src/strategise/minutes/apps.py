from django.apps import AppConfig


class MinutesConfig(AppConfig):
    """Minutes: drafted, approved by the chair, frozen, corrected by new versions, distributed."""

    name = "strategise.minutes"
    label = "minutes"
    verbose_name = "Minutes and distribution"
