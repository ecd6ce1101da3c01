from django.urls import path

from strategise.web.actions import views

urlpatterns = [
    path("discussions/<int:pk>/actions/", views.actions_page, name="actions"),
    path("actions/<int:pk>/", views.action_page, name="action"),
]
