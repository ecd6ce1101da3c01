from django.urls import include, path

from strategise.web import (
    views,
    views_account,
    views_children,
    views_clocks,
    views_disagreements,
    views_discussions,
    views_minutes,
    views_recording,
    views_requests,
    views_work,
)

app_name = "web"

urlpatterns = [
    path("", views.start, name="start"),
    path("triage/", views.triage_page, name="triage"),
    path("sign-in/", views_account.sign_in, name="sign-in"),
    path("sign-out/", views_account.sign_out, name="sign-out"),
    path("", include("strategise.web.account.second_factor_urls")),
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
    # Recording the discussion, its minutes and their distribution.
    path(
        "discussions/<int:pk>/reconvene/", views_discussions.reconvene, name="discussion-reconvene"
    ),
    path("discussions/<int:pk>/record/", views_recording.record_page, name="record"),
    path(
        "discussions/<int:pk>/contributions/<int:invitation_pk>/",
        views_recording.contribution_page,
        name="contribution",
    ),
    path("discussions/<int:pk>/decisions/", views_recording.decisions_page, name="decisions"),
    path(
        "discussions/<int:pk>/decisions/<int:child_pk>/",
        views_recording.decision_page,
        name="decision",
    ),
    path(
        "discussions/<int:pk>/decisions/<int:child_pk>/confirm/",
        views_recording.confirm_no_further_action,
        name="decision-confirm",
    ),
    path("discussions/<int:pk>/dissent/", views_recording.dissent_page, name="dissent"),
    path("discussions/<int:pk>/actions/", views_recording.actions_page, name="actions"),
    path("actions/<int:pk>/", views_recording.action_page, name="action"),
    path("discussions/<int:pk>/conclude/", views_recording.conclude_page, name="conclude"),
    path("discussions/<int:pk>/minutes/", views_minutes.minutes_page, name="minutes"),
    path(
        "discussions/<int:pk>/minutes/<int:number>/",
        views_minutes.minutes_version,
        name="minutes-version",
    ),
    path(
        "discussions/<int:pk>/minutes/<int:number>/<str:kind>/",
        views_minutes.minutes_download,
        name="minutes-download",
    ),
    path(
        "discussions/<int:pk>/distribution/",
        views_minutes.distribution_page,
        name="distribution",
    ),
    path(
        "discussions/<int:pk>/distribution/<int:recipient_pk>/",
        views_minutes.recipient_page,
        name="recipient",
    ),
    # A discussion's statutory clocks, and professional disagreements.
    path("discussions/<int:pk>/clocks/", views_clocks.clocks_page, name="clocks"),
    path(
        "discussions/<int:pk>/clocks/<int:clock_pk>/met/",
        views_clocks.clock_met,
        name="clock-met",
    ),
    path(
        "discussions/<int:pk>/clocks/<int:clock_pk>/stop/",
        views_clocks.clock_stop_page,
        name="clock-stop",
    ),
    path(
        "discussions/<int:pk>/disagreements/new/",
        views_disagreements.disagreement_new,
        name="disagreement-new",
    ),
    path("disagreements/", views_disagreements.disagreement_list_page, name="disagreements"),
    path("disagreements/<int:pk>/", views_disagreements.disagreement_page, name="disagreement"),
    path(
        "disagreements/<int:pk>/escalate/",
        views_disagreements.disagreement_escalate_page,
        name="disagreement-escalate",
    ),
    path(
        "disagreements/<int:pk>/resolve/",
        views_disagreements.disagreement_resolve_page,
        name="disagreement-resolve",
    ),
]
