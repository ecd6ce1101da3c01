"""The site's URLs plus one page whose database query fails, as in a blip."""

from django.contrib.auth.decorators import login_not_required
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import path

from strategise.config.urls import handler404, handler500
from strategise.config.urls import urlpatterns as site_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


@login_not_required
def database_blip(request: HttpRequest) -> HttpResponse:
    raise OperationalError("canceling statement due to statement timeout")


urlpatterns = [path("database-blip/", database_blip), *site_urlpatterns]
