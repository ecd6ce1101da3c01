"""The second factor's pages and the passkey ceremonies' requests (in the web namespace)."""

from django.urls import path

from strategise.web.account import passkey_views, second_factor

urlpatterns = [
    path("sign-in/second-factor/", second_factor.second_factor_page, name="second-factor"),
    path("sign-in/set-up-second-factor/", second_factor.set_up_page, name="second-factor-set-up"),
    path("sign-in/recovery-code/", second_factor.recovery_code_page, name="recovery-code"),
    path("sign-in/recovery-codes/", second_factor.recovery_codes_page, name="recovery-codes"),
    path(
        "sign-in/passkey/new/options/",
        passkey_views.register_options,
        name="passkey-register-options",
    ),
    path("sign-in/passkey/new/", passkey_views.register, name="passkey-register"),
    path("sign-in/passkey/options/", passkey_views.sign_in_options, name="passkey-sign-in-options"),
    path("sign-in/passkey/", passkey_views.sign_in, name="passkey-sign-in"),
]
