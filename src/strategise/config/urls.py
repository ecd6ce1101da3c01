"""The site's URLs: the service's pages, and Django's admin."""

from django.contrib import admin
from django.urls import include, path

# A request Django cannot accept (a form too large, a file where none is taken): a GOV.UK page.
handler400 = "strategise.web.limits.bad_request"

urlpatterns = [
    path("", include("strategise.web.urls")),
    path("admin/", admin.site.urls),
]
