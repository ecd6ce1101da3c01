from django.urls import path

from strategise.web.children import views

urlpatterns = [
    path("children/", views.child_list, name="children"),
    path("children/new/", views.child_new, name="child-new"),
    path("children/<int:pk>/", views.child_page, name="child"),
    path("children/<int:pk>/census/", views.child_census, name="child-census"),
]
