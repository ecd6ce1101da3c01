from django.urls import path

from strategise.web.recording import (
    conclude,
    contributions,
    correction,
    decisions,
    dissent,
    language,
    record,
)

urlpatterns = [
    path("language/check/", language.language_check, name="language-check"),
    path("discussions/<int:pk>/record/", record.record_page, name="record"),
    path(
        "discussions/<int:pk>/contributions/<int:invitation_pk>/",
        contributions.contribution_page,
        name="contribution",
    ),
    path("discussions/<int:pk>/decisions/", decisions.decisions_page, name="decisions"),
    path(
        "discussions/<int:pk>/decisions/<int:child_pk>/",
        decisions.decision_page,
        name="decision",
    ),
    path(
        "discussions/<int:pk>/decisions/<int:child_pk>/confirm/",
        decisions.confirm_no_further_action,
        name="decision-confirm",
    ),
    path("discussions/<int:pk>/dissent/", dissent.dissent_page, name="dissent"),
    path("discussions/<int:pk>/conclude/", conclude.conclude_page, name="conclude"),
    path(
        "discussions/<int:pk>/conclude/language/<str:key>/",
        conclude.language_accept_page,
        name="language-accept",
    ),
    path("discussions/<int:pk>/correction/", correction.correction_page, name="correction"),
    path(
        "discussions/<int:pk>/contributions/<int:invitation_pk>/update/",
        contributions.contribution_update_page,
        name="contribution-update",
    ),
]
