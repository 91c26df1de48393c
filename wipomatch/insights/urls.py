"""Pages of the insights app (under the language prefix)."""

from django.urls import path  # noqa: F401

app_name = "insights"

urlpatterns: list = []
