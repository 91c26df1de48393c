from django.urls import path

from . import views

app_name = "tagging"

urlpatterns = [
    path("listings/tag-suggestions/", views.tag_suggestions_partial, name="suggestions"),
]
