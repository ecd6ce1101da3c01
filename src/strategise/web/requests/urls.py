from django.urls import path

from strategise.web.requests import views

urlpatterns = [
    path("requests/new/", views.request_new, name="request-new"),
    path("requests/<int:pk>/", views.request_page, name="request"),
    path("requests/<int:pk>/close/", views.request_close_page, name="request-close"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw_page, name="request-withdraw"),
]
