from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    """Local authorities, agencies, teams, and the people who use Strategise."""

    name = "strategise.organisations"
    label = "organisations"
    verbose_name = "Organisations and people"
