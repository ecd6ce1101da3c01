from django.urls import path

from strategise.web import (
    views,
    views_account,
    views_children,
    views_discussions,
    views_requests,
    views_work,
)

app_name = "web"

urlpatterns = [
    path("", views.start, name="start"),
    path("triage/", views.triage_page, name="triage"),
    path("sign-in/", views_account.sign_in, name="sign-in"),
    path("sign-out/", views_account.sign_out, name="sign-out"),
    path("my-work/", views_work.my_work_page, name="my-work"),
    path("children/", views_children.child_list, name="children"),
    path("children/new/", views_children.child_new, name="child-new"),
    path("children/<int:pk>/", views_children.child_page, name="child"),
    path("requests/new/", views_requests.request_new, name="request-new"),
    path("requests/<int:pk>/", views_requests.request_page, name="request"),
    path("requests/<int:pk>/convene/", views_discussions.convene, name="convene"),
    path("discussions/<int:pk>/", views_discussions.discussion_page, name="discussion"),
    path("discussions/<int:pk>/reply/", views_discussions.reply, name="discussion-reply"),
    path(
        "discussions/<int:pk>/start/", views_discussions.start_discussion, name="discussion-start"
    ),
    path("invitations/<str:token>/", views_discussions.invitation_page, name="invitation"),
]
