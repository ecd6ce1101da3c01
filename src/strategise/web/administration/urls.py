from django.urls import path

from strategise.web.administration import views, webhooks

urlpatterns = [
    path("accounts/", views.accounts_page, name="accounts"),
    path("accounts/new/", views.account_new, name="account-new"),
    path("accounts/<int:pk>/", views.account_page, name="account-admin"),
    path("accounts/<int:pk>/change/", views.account_change_page, name="account-change"),
    path(
        "accounts/<int:pk>/deactivate/",
        views.account_deactivate_button,
        name="account-deactivate",
    ),
    path(
        "accounts/<int:pk>/reactivate/",
        views.account_reactivate_button,
        name="account-reactivate",
    ),
    path(
        "accounts/<int:pk>/reset-second-factor/",
        views.second_factor_reset_button,
        name="account-second-factor-reset",
    ),
    path("accounts/<int:pk>/unlock/", views.account_unlock_button, name="account-unlock"),
    path("accounts/teams/", views.teams_page, name="teams"),
    path("accounts/teams/<int:pk>/", views.team_page, name="team"),
    path("accounts/webhooks/", webhooks.webhooks_page, name="webhooks"),
    path("accounts/webhooks/new/", webhooks.webhook_new, name="webhook-new"),
]
