"""Pages of the messaging app (under the language prefix)."""

from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("", views.notification_list, name="notifications"),
    path("<int:pk>/open/", views.notification_open, name="notification_open"),
    path("<int:pk>/read/", views.notification_read, name="notification_read"),
    path("read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("conversations/", views.conversation_list, name="conversations"),
    path("conversations/<int:pk>/", views.conversation_detail, name="conversation"),
    path("conversations/<int:pk>/post/", views.conversation_post, name="conversation_post"),
]
