from django.apps import AppConfig


class OversightConfig(AppConfig):
    """Managers' oversight: what is due, overdue or in dispute across the authority."""

    name = "strategise.oversight"
    label = "oversight"
    verbose_name = "Oversight"
