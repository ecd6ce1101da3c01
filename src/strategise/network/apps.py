from django.apps import AppConfig


class NetworkConfig(AppConfig):
    """The network around children (people, places, vehicles, online accounts and the links
    between them) and the patterns across cases that it shows."""

    name = "strategise.network"
    label = "network"
    verbose_name = "Network"
