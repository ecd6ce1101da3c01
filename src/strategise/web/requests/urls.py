from django.urls import path

from strategise.web.requests import views

urlpatterns = [
    path("requests/new/", views.request_new, name="request-new"),
    path("requests/<int:pk>/", views.request_page, name="request"),
]
