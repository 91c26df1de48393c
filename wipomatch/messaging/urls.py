"""Pages of the messaging app (under the language prefix)."""

from django.urls import path  # noqa: F401

app_name = "messaging"

urlpatterns: list = []
