from django.urls import path

from strategise.web.clocks import views

urlpatterns = [
    path("discussions/<int:pk>/clocks/", views.clocks_page, name="clocks"),
    path("discussions/<int:pk>/clocks/<int:clock_pk>/met/", views.clock_met, name="clock-met"),
    path(
        "discussions/<int:pk>/clocks/<int:clock_pk>/stop/",
        views.clock_stop_page,
        name="clock-stop",
    ),
]
