"""The project's pages, and the floor the pages benchmark measures them against: a view
doing one indexed query (a child of the user's authority, by its key) behind the same
middleware (session, sign-in, second factor, audit, security headers). Only the
benchmarks use this URL configuration; no such page is served."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from strategise.cases.models import Child
from strategise.config.urls import urlpatterns as project_urlpatterns
from strategise.organisations.models import User


def floor(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 - the sign-in middleware ran
    name = (
        Child.objects.filter(local_authority_id=user.local_authority_id, pk=pk)
        .values_list("first_name", flat=True)
        .first()
    )
    return HttpResponse(name or "", content_type="text/plain")


urlpatterns = [path("bench-floor/<int:pk>/", floor, name="bench-floor"), *project_urlpatterns]
