"""Pages of the cooperation app (under the language prefix)."""

from django.urls import path  # noqa: F401

app_name = "cooperation"

urlpatterns: list = []
