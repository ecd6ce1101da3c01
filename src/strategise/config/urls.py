"""The site's URLs: the service's pages, the API, and Django's admin."""

from django.contrib import admin
from django.urls import include, path

from strategise.api.site import urls as api_urls

urlpatterns = [
    path("", include("strategise.web.urls")),
    # The REST API (docs/api.md): bearer tokens, not the session.
    path("api/v1/", api_urls()),
    path("admin/", admin.site.urls),
]

# A request Django cannot accept (a form too large, a file where none is taken).
handler400 = "strategise.config.errors.bad_request"
handler404 = "strategise.config.errors.page_not_found"
handler500 = "strategise.config.errors.server_error"
