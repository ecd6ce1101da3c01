from django.apps import AppConfig


class WebConfig(AppConfig):
    """Base templates, static assets and the shared page furniture of the service."""

    name = "strategise.web"
    label = "web"
    verbose_name = "Web pages"
