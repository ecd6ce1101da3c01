from django.urls import path

from strategise.web.people import views

urlpatterns = [
    path("adults/", views.adult_list, name="adults"),
    path("adults/new/", views.adult_new, name="adult-new"),
    path("adults/<int:pk>/", views.adult_page, name="adult"),
    path("adults/<int:pk>/change/", views.adult_change, name="adult-change"),
    path("children/<int:pk>/adults/", views.child_adults, name="child-adults"),
    path(
        "children/<int:pk>/adults/<int:adult>/remove/",
        views.child_adult_remove,
        name="child-adult-remove",
    ),
    path("children/<int:pk>/siblings/", views.child_siblings, name="child-siblings"),
    path(
        "children/<int:pk>/siblings/<int:sibling>/remove/",
        views.child_sibling_remove,
        name="child-sibling-remove",
    ),
    path("children/<int:pk>/identifiers/", views.child_identifiers, name="child-identifiers"),
    path("households/<int:pk>/", views.household_page, name="household"),
]
