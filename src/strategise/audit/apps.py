from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only, keyed and hash-chained record of every read and write of case data,
    and of security events (signing in and out, refused access)."""

    name = "strategise.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from strategise.audit import checks, receivers  # noqa: F401 - they register themselves
