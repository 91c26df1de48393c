from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("criteria/", views.criteria, name="criteria"),
    path("apply/", views.application_create, name="apply"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("review/", views.review_queue, name="review_queue"),
    path("review/<int:pk>/", views.review_application, name="review_application"),
    path("<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("<int:pk>/join/", views.join_request_create, name="join"),
    path("<int:pk>/team/", views.organisation_team, name="organisation_team"),
    path(
        "<int:pk>/suspend/",
        views.organisation_decision,
        {"decision": "suspend"},
        name="organisation_suspend",
    ),
    path(
        "<int:pk>/reinstate/",
        views.organisation_decision,
        {"decision": "reinstate"},
        name="organisation_reinstate",
    ),
    path("join-requests/<int:pk>/decide/", views.join_request_decide, name="join_request_decide"),
    path("memberships/<int:pk>/remove/", views.membership_remove, name="membership_remove"),
    path("memberships/<int:pk>/role/", views.membership_role, name="membership_role"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
