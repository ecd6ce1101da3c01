from django.urls import include, path

from strategise.web.account import api_tokens, passwords, views

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("sign-in/forgotten-password/", passwords.password_reset, name="password-reset"),
    path(
        "sign-in/forgotten-password/sent/",
        passwords.password_reset_sent,
        name="password-reset-sent",
    ),
    path(
        "sign-in/new-password/<uidb64>/<token>/",
        passwords.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("account/", views.account_page, name="account"),
    path("account/password/", passwords.password_change, name="password-change"),
    path("account/sign-out-everywhere/", views.sign_out_everywhere, name="sign-out-everywhere"),
    path("account/api-tokens/", api_tokens.api_tokens_page, name="api-tokens"),
    path(
        "account/api-tokens/<int:pk>/revoke/",
        api_tokens.api_token_revoke_button,
        name="api-token-revoke",
    ),
    path("", include("strategise.web.account.second_factor_urls")),
]
