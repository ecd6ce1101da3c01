from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only, hash-chained record of every read and write of case data."""

    name = "strategise.audit"
    label = "audit"
    verbose_name = "Audit"
