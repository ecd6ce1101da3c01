from django.urls import path

from strategise.web.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.performance, name="performance"),
    path("figures/<slug:slug>.csv", views.figure_csv, name="figure-csv"),
    path("returns/", views.returns, name="returns"),
    path("returns/cin-census.xml", views.cin_census, name="cin-census"),
    path("returns/annex-a.csv", views.annex_a, name="annex-a"),
]
