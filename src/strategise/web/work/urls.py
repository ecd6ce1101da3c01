from django.urls import path

from strategise.web.work import views

urlpatterns = [
    path("my-work/", views.my_work_page, name="my-work"),
    path("my-work/children/", views.my_children_page, name="my-children"),
    path("my-work/team/", views.team_work_page, name="team-work"),
]
