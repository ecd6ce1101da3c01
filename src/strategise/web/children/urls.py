from django.urls import path

from strategise.web.children import importing, views

urlpatterns = [
    path("children/", views.child_list, name="children"),
    path("children/new/", views.child_new, name="child-new"),
    path("children/import/", importing.people_import_page, name="people-import"),
    path(
        "children/import/template.csv",
        importing.people_import_template,
        name="people-import-template",
    ),
    path("children/<int:pk>/", views.child_page, name="child"),
    path("children/<int:pk>/census/", views.child_census, name="child-census"),
]
