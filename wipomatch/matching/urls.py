from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("listings/<int:pk>/suggestions/", views.listing_suggestions, name="suggestions"),
    path(
        "listings/<int:pk>/suggestions/<int:other_pk>/dismiss/",
        views.suggestion_dismiss_view,
        name="dismiss",
    ),
]
