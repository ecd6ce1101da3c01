from django.apps import AppConfig


class RequestsConfig(AppConfig):
    """Strategy discussion requests and the triage answer each was given."""

    name = "strategise.requests"
    label = "requests"
    verbose_name = "Strategy discussion requests"
