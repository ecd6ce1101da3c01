from django.urls import path

from strategise.web.start import views

urlpatterns = [
    path("", views.start, name="start"),
    path("triage/", views.triage_page, name="triage"),
]
