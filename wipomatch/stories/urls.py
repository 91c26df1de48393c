"""Pages of the stories app (under the language prefix)."""

from django.urls import path

from . import feeds, views

app_name = "stories"

urlpatterns = [
    path("", views.story_list, name="list"),
    path("new/", views.story_create, name="create"),
    path("mine/", views.my_stories, name="mine"),
    path("review/", views.review_queue, name="review_queue"),
    path("<int:pk>/", views.story_detail, name="detail"),
    path("<int:pk>/edit/", views.story_edit, name="edit"),
    path("<int:pk>/versions/new/", views.story_add_version, name="add_version"),
    path("<int:pk>/submit/", views.story_submit, name="submit"),
    path("<int:pk>/contact/", views.story_contact, name="contact"),
    path("<int:pk>/review/", views.story_review, name="review"),
    path("<int:pk>/images/", views.story_image_upload, name="image_upload"),
    path("images/<int:pk>/delete/", views.story_image_delete, name="image_delete"),
    path("feed/", feeds.LatestStoriesFeed(), name="feed"),
    path("feed/themes/<slug:slug>/", feeds.ThemeStoriesFeed(), name="theme_feed"),
    path("feed/countries/<str:iso2>/", feeds.CountryStoriesFeed(), name="country_feed"),
]
