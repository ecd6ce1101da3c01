from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Children, the adults around them, and the links between them."""

    name = "strategise.cases"
    label = "cases"
    verbose_name = "Children and families"
