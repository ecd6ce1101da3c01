from django.urls import path

from strategise.web.disagreements import views

urlpatterns = [
    path(
        "discussions/<int:pk>/disagreements/new/",
        views.disagreement_new,
        name="disagreement-new",
    ),
    path("disagreements/", views.disagreement_list_page, name="disagreements"),
    path("disagreements/<int:pk>/", views.disagreement_page, name="disagreement"),
    path(
        "disagreements/<int:pk>/escalate/",
        views.disagreement_escalate_page,
        name="disagreement-escalate",
    ),
    path(
        "disagreements/<int:pk>/resolve/",
        views.disagreement_resolve_page,
        name="disagreement-resolve",
    ),
]
