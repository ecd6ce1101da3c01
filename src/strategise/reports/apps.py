from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Performance figures, with their charts, and the statutory returns. No models."""

    name = "strategise.reports"
    label = "reports"
    verbose_name = "Performance reports and returns"
