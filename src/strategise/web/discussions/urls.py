from django.urls import path

from strategise.web.discussions import views

urlpatterns = [
    path("requests/<int:pk>/convene/", views.convene, name="convene"),
    path("discussions/<int:pk>/", views.discussion_page, name="discussion"),
    path("discussions/<int:pk>/reply/", views.reply, name="discussion-reply"),
    path("discussions/<int:pk>/start/", views.start_discussion, name="discussion-start"),
    path("discussions/<int:pk>/reconvene/", views.reconvene, name="discussion-reconvene"),
    path("discussions/<int:pk>/reschedule/", views.reschedule, name="discussion-reschedule"),
    path("discussions/<int:pk>/cancel/", views.cancel, name="discussion-cancel"),
    path("invitations/<str:token>/", views.invitation_page, name="invitation"),
]
