from django.apps import AppConfig


class ClocksConfig(AppConfig):
    """Statutory clocks: each a row with its due time, source and state."""

    name = "strategise.clocks"
    label = "clocks"
    verbose_name = "Statutory clocks"
