from django.urls import path

from strategise.web.network import views

urlpatterns = [
    path("children/<int:pk>/network/", views.child_network, name="child-network"),
    path("discussions/<int:pk>/network/", views.discussion_network, name="discussion-network"),
    path(
        "discussions/<int:pk>/network/add/",
        views.discussion_link_new,
        name="discussion-network-add",
    ),
    path("requests/<int:pk>/network/", views.request_network, name="request-network"),
    path("requests/<int:pk>/network/add/", views.link_new, name="network-link-new"),
    path("patterns/", views.alert_list, name="pattern-alerts"),
    path("patterns/settings/", views.network_settings, name="network-settings"),
    path("patterns/<int:pk>/", views.alert_page, name="pattern-alert"),
    path("patterns/<int:pk>/dismiss/", views.alert_dismiss, name="pattern-alert-dismiss"),
    path("patterns/<int:pk>/request/", views.alert_raise, name="pattern-alert-raise"),
]
