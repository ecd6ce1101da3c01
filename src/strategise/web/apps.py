from django.apps import AppConfig


class WebConfig(AppConfig):
    """Every page of the service (one package per area), its templates, static assets
    and shared page furniture."""

    name = "strategise.web"
    label = "web"
    verbose_name = "Web pages"
