from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    """Events for an authority's case system: webhooks, signed, delivered by the worker."""

    name = "strategise.integrations"
    label = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from strategise.integrations import checks  # noqa: F401 - it registers itself
