from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    """Local authorities, agencies, teams, and the people who use Strategise."""

    name = "strategise.organisations"
    label = "organisations"
    verbose_name = "Organisations and people"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from strategise.organisations.sessions import session_started

        # Signing in starts the session's idle and absolute clocks.
        user_logged_in.connect(session_started, dispatch_uid="organisations-session-started")
