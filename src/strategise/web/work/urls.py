from django.urls import path

from strategise.web.work import views

urlpatterns = [
    path("my-work/", views.my_work_page, name="my-work"),
]
