from django.urls import path

from strategise.web import views

app_name = "web"

urlpatterns = [
    path("", views.start, name="start"),
    path("triage/", views.triage_page, name="triage"),
]
