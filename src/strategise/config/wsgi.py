"""WSGI entry point, for servers such as gunicorn: ``strategise.config.wsgi:application``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategise.config.settings")

application = get_wsgi_application()
