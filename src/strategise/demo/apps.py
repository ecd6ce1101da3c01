from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for development and demonstrations: ``manage.py demo``. No models."""

    name = "strategise.demo"
    label = "demo"
    verbose_name = "Demo data"
