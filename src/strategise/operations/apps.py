from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the service: deployment checks, stale background tasks, backups."""

    name = "strategise.operations"
    label = "operations"
    verbose_name = "Operations"

    def ready(self) -> None:
        from strategise.operations import checks  # noqa: F401 - registers the checks
