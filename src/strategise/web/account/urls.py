from django.urls import include, path

from strategise.web.account import views

urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("", include("strategise.web.account.second_factor_urls")),
]
