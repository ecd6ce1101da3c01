"""ASGI entry point, for servers such as uvicorn: ``strategise.config.asgi:application``."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategise.config.settings")

application = get_asgi_application()
