from django.urls import path

from strategise.web.discussions import partners, views

urlpatterns = [
    path("requests/<int:pk>/convene/", views.convene, name="convene"),
    path("discussions/<int:pk>/", views.discussion_page, name="discussion"),
    path("discussions/<int:pk>/reply/", views.reply, name="discussion-reply"),
    path("discussions/<int:pk>/start/", views.start_discussion, name="discussion-start"),
    path("discussions/<int:pk>/reconvene/", views.reconvene, name="discussion-reconvene"),
    path("discussions/<int:pk>/reschedule/", views.reschedule, name="discussion-reschedule"),
    path("discussions/<int:pk>/cancel/", views.cancel, name="discussion-cancel"),
    path("discussions/<int:pk>/deputy/", partners.discussion_deputy, name="discussion-deputy"),
    path("discussions/<int:pk>/report/", partners.discussion_report, name="discussion-report"),
    path(
        "discussions/<int:pk>/written-reports/<int:report_pk>/",
        partners.written_report_file,
        name="written-report-file",
    ),
    path("invitations/<str:token>/", partners.invitation_page, name="invitation"),
    path(
        "invitations/<str:token>/identity/",
        partners.invitation_identity,
        name="invitation-identity",
    ),
    path("invitations/<str:token>/deputy/", partners.invitation_deputy, name="invitation-deputy"),
    path("invitations/<str:token>/report/", partners.invitation_report, name="invitation-report"),
]
