"""The site's URLs: the service's pages, and Django's admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("strategise.web.urls")),
    path("oversight/", include("strategise.oversight.urls")),
    path("notifications/", include("strategise.notifications.urls")),
    path("reports/", include("strategise.reports.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "strategise.config.errors.page_not_found"
handler500 = "strategise.config.errors.server_error"
