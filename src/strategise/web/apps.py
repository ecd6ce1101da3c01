from django.apps import AppConfig


class WebConfig(AppConfig):
    """Every page of the service (one package per area), its templates, static assets
    and shared page furniture."""

    name = "strategise.web"
    label = "web"
    verbose_name = "Web pages"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from strategise.web.account.sessions import session_started

        user_logged_in.connect(session_started, dispatch_uid="web-session-started")
