from django.urls import path

from strategise.web.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_page, name="list"),
    path("<int:pk>/read/", views.mark_read, name="read"),
    path("read/", views.mark_all_read, name="read-all"),
]
