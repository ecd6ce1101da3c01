from django.urls import path

from strategise.web.minutes import views

urlpatterns = [
    path("discussions/<int:pk>/minutes/", views.minutes_page, name="minutes"),
    path(
        "discussions/<int:pk>/minutes/<int:number>/",
        views.minutes_version,
        name="minutes-version",
    ),
    path(
        "discussions/<int:pk>/minutes/<int:number>/wording/",
        views.minutes_wording,
        name="minutes-wording",
    ),
    path(
        "discussions/<int:pk>/minutes/<int:number>/<str:kind>/",
        views.minutes_download,
        name="minutes-download",
    ),
    path("discussions/<int:pk>/distribution/", views.distribution_page, name="distribution"),
    path(
        "discussions/<int:pk>/distribution/<int:recipient_pk>/",
        views.recipient_page,
        name="recipient",
    ),
]
