"""Every page of the service, area by area.

The case-work pages are named ``web:<name>``; reports, oversight and notifications keep
their own namespaces (``reports:``, ``oversight:``, ``notifications:``).
"""

from django.urls import include, path

AREAS = (
    "start",
    "account",
    "work",
    "children",
    "people",
    "network",
    "requests",
    "discussions",
    "recording",
    "actions",
    "minutes",
    "clocks",
    "disagreements",
    "administration",
)

pages = [path("", include(f"strategise.web.{area}.urls")) for area in AREAS]

urlpatterns = [
    path("", include((pages, "web"))),
    path("oversight/", include("strategise.web.oversight.urls")),
    path("notifications/", include("strategise.web.notifications.urls")),
    path("reports/", include("strategise.web.reports.urls")),
]
